package main

import (
	"fmt"
	"strconv"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// CloseMarginMs is what a worker needs after SHUTDOWN_GRACE_MS: closing its connections (2 s each).
const CloseMarginMs = 5000

// checkWorker: the worker Deployment stops gracefully (terminationGracePeriodSeconds longer than
// SHUTDOWN_GRACE_MS), is probed on /readyz and /healthz at WORKER_HTTP_PORT, and leaves its
// replica count to the autoscaler.
func checkWorker(o Objects) []string {
	d := o.Worker()
	if d == nil {
		return []string{"no Deployment " + WorkerName}
	}
	where := "Deployment/" + WorkerName
	var p []string
	if d.Spec.Replicas != nil {
		p = append(p, where+": replicas is the autoscaler's: leave it out (each apply would reset it)")
	}
	spec := d.Spec.Template.Spec
	if len(spec.Containers) != 1 {
		return append(p, where+": one container expected")
	}
	c := &spec.Containers[0]
	grace := num(o, c, "SHUTDOWN_GRACE_MS", 30000)
	if spec.TerminationGracePeriodSeconds == nil || *spec.TerminationGracePeriodSeconds*1000 < int64(grace+CloseMarginMs) {
		p = append(p, fmt.Sprintf("%s: terminationGracePeriodSeconds must be at least SHUTDOWN_GRACE_MS (%d ms) + %d ms",
			where, grace, CloseMarginMs))
	}
	port := num(o, c, "WORKER_HTTP_PORT", 9464)
	p = append(p, probe(where+" readinessProbe", c, c.ReadinessProbe, "/readyz", port)...)
	p = append(p, probe(where+" livenessProbe", c, c.LivenessProbe, "/healthz", port)...)
	return p
}

func num(o Objects, c *corev1.Container, name string, def int) int {
	v, ok := o.Setting(c, name)
	if !ok {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return -1
	}
	return n
}

func probe(where string, c *corev1.Container, pr *corev1.Probe, path string, port int) []string {
	if pr == nil || pr.HTTPGet == nil || pr.HTTPGet.Path != path {
		return []string{where + ": needs an HTTP GET of " + path}
	}
	if containerPort(c, pr.HTTPGet.Port) != port {
		return []string{fmt.Sprintf("%s: probes port %s, not WORKER_HTTP_PORT %d", where, pr.HTTPGet.Port.String(), port)}
	}
	return nil
}

func containerPort(c *corev1.Container, port intstr.IntOrString) int {
	if port.Type == intstr.Int {
		return port.IntValue()
	}
	for _, p := range c.Ports {
		if p.Name == port.StrVal {
			return int(p.ContainerPort)
		}
	}
	return -1
}
