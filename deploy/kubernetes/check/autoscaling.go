package main

import (
	"fmt"
	"net"
	"net/url"
	"strings"

	kedav1alpha1 "github.com/kedacore/keda/v2/apis/keda/v1alpha1"
	"k8s.io/apimachinery/pkg/labels"
)

// BacklogMetric is the dashboard's gauge the ScaledObject reads.
const BacklogMetric = "hcingest_chunk_backlog"

// The metadata KEDA's metrics-api scaler reads (v2.21, pkg/scalers/metrics_api_scaler.go and its
// authentication): trigger metadata is a map of strings, so a misspelt key would pass the types.
var metricsAPIKeys = map[string]bool{
	"url": true, "format": true, "valueLocation": true, "targetValue": true, "activationTargetValue": true,
	"unsafeSsl": true, "aggregateFromKubeServiceEndpoints": true, "aggregationType": true, "timeout": true,
	"authMode": true, "method": true,
}

// checkAutoscaler: exactly one autoscaler (a ScaledObject or an HPA) and it targets the worker
// Deployment; a ScaledObject reads the backlog from the dashboard Service of its own namespace.
func checkAutoscaler(o Objects) []string {
	if n := len(o.ScaledObjs) + len(o.HPAs); n != 1 {
		return []string{fmt.Sprintf("want exactly one autoscaler of the workers (ScaledObject or HPA), found %d", n)}
	}
	for _, h := range o.HPAs {
		ref := h.Spec.ScaleTargetRef
		if ref.APIVersion != "apps/v1" || ref.Kind != "Deployment" || ref.Name != WorkerName {
			return []string{"HorizontalPodAutoscaler/" + h.Name + ": must target apps/v1 Deployment " + WorkerName}
		}
		return nil
	}
	so := o.ScaledObjs[0]
	where := "ScaledObject/" + so.Name
	ref := so.Spec.ScaleTargetRef
	if ref == nil || ref.APIVersion != "apps/v1" || ref.Kind != "Deployment" || ref.Name != WorkerName {
		return []string{where + ": must target apps/v1 Deployment " + WorkerName}
	}
	var p []string
	if so.Spec.MinReplicaCount == nil || so.Spec.MaxReplicaCount == nil || *so.Spec.MaxReplicaCount < *so.Spec.MinReplicaCount {
		p = append(p, where+": needs minReplicaCount <= maxReplicaCount")
	}
	if len(so.Spec.Triggers) != 1 || so.Spec.Triggers[0].Type != "metrics-api" {
		return append(p, where+": one metrics-api trigger expected")
	}
	return append(p, checkTrigger(o, so, so.Spec.Triggers[0])...)
}

func checkTrigger(o Objects, so *kedav1alpha1.ScaledObject, t kedav1alpha1.ScaleTriggers) []string {
	where := "ScaledObject/" + so.Name + " trigger"
	var p []string
	for k := range t.Metadata {
		if !metricsAPIKeys[k] {
			p = append(p, fmt.Sprintf("%s: unknown metadata key %q", where, k))
		}
	}
	m := t.Metadata
	if m["format"] != "prometheus" || m["valueLocation"] != BacklogMetric || m["targetValue"] == "" {
		p = append(p, where+": format prometheus, valueLocation "+BacklogMetric+" and a targetValue expected")
	}
	u, err := url.Parse(m["url"])
	if err != nil || u.Scheme != "http" || u.Path != "/metrics" {
		return append(p, where+": url must be http://<dashboard service>.<namespace>.svc:<port>/metrics")
	}
	return append(p, checkDashboardURL(o, so.Namespace, u, where)...)
}

// checkDashboardURL: the URL's host is a Service of the render, in the ScaledObject's namespace,
// on one of its ports, selecting the dashboard's pods.
func checkDashboardURL(o Objects, namespace string, u *url.URL, where string) []string {
	host, port, _ := net.SplitHostPort(u.Host)
	parts := strings.SplitN(host, ".", 3)
	if len(parts) < 3 || !strings.HasPrefix(parts[2], "svc") || parts[1] != namespace {
		return []string{fmt.Sprintf("%s: url host %s is not <service>.%s.svc", where, host, namespace)}
	}
	for _, s := range o.Services {
		if s.Name != parts[0] {
			continue
		}
		for _, sp := range s.Spec.Ports {
			if fmt.Sprint(sp.Port) == port {
				return selectsDashboard(o, s.Spec.Selector, where)
			}
		}
		return []string{fmt.Sprintf("%s: Service %s has no port %s", where, s.Name, port)}
	}
	return []string{fmt.Sprintf("%s: no Service %s in the manifests", where, parts[0])}
}

func selectsDashboard(o Objects, selector map[string]string, where string) []string {
	for _, d := range o.Deployments {
		if d.Name == "hcingest-dashboard" && len(selector) > 0 &&
			labels.SelectorFromSet(selector).Matches(labels.Set(d.Spec.Template.Labels)) {
			return nil
		}
	}
	return []string{where + ": the url's Service does not select the hcingest-dashboard pods"}
}
