package main

import (
	kedav1alpha1 "github.com/kedacore/keda/v2/apis/keda/v1alpha1"
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	"k8s.io/apimachinery/pkg/runtime"
)

// WorkerName is the Deployment the autoscaler targets.
const WorkerName = "hcingest-worker"

// PartOf is the label every pod of the stack carries; the NetworkPolicies admit it.
const PartOf = "app.kubernetes.io/part-of"

// Objects is one overlay's decoded objects, by kind.
type Objects struct {
	ConfigMaps   map[string]*corev1.ConfigMap
	Services     []*corev1.Service
	Deployments  []*appsv1.Deployment
	Jobs         []*batchv1.Job
	ScaledObjs   []*kedav1alpha1.ScaledObject
	HPAs         []*autoscalingv2.HorizontalPodAutoscaler
	PDBs         []*policyv1.PodDisruptionBudget
	NetPolicies  []*networkingv1.NetworkPolicy
	OtherObjects int
}

// Pod is a pod template with the object that holds it.
type Pod struct {
	Owner string
	Spec  *corev1.PodTemplateSpec
}

func sortObjects(objs []runtime.Object) Objects {
	o := Objects{ConfigMaps: map[string]*corev1.ConfigMap{}}
	for _, obj := range objs {
		switch v := obj.(type) {
		case *corev1.ConfigMap:
			o.ConfigMaps[v.Name] = v
		case *corev1.Service:
			o.Services = append(o.Services, v)
		case *appsv1.Deployment:
			o.Deployments = append(o.Deployments, v)
		case *batchv1.Job:
			o.Jobs = append(o.Jobs, v)
		case *kedav1alpha1.ScaledObject:
			o.ScaledObjs = append(o.ScaledObjs, v)
		case *autoscalingv2.HorizontalPodAutoscaler:
			o.HPAs = append(o.HPAs, v)
		case *policyv1.PodDisruptionBudget:
			o.PDBs = append(o.PDBs, v)
		case *networkingv1.NetworkPolicy:
			o.NetPolicies = append(o.NetPolicies, v)
		default:
			o.OtherObjects++
		}
	}
	return o
}

// Pods lists every pod template (Deployments and Jobs).
func (o Objects) Pods() []Pod {
	var pods []Pod
	for _, d := range o.Deployments {
		pods = append(pods, Pod{"Deployment/" + d.Name, &d.Spec.Template})
	}
	for _, j := range o.Jobs {
		pods = append(pods, Pod{"Job/" + j.Name, &j.Spec.Template})
	}
	return pods
}

// Worker is the worker Deployment, or nil.
func (o Objects) Worker() *appsv1.Deployment {
	for _, d := range o.Deployments {
		if d.Name == WorkerName {
			return d
		}
	}
	return nil
}

// Setting is what a container's environment gives a variable: a literal value, else the
// ConfigMap of an envFrom; ok false when neither does.
func (o Objects) Setting(c *corev1.Container, name string) (string, bool) {
	for _, e := range c.Env {
		if e.Name == name && e.ValueFrom == nil {
			return e.Value, true
		}
	}
	for _, from := range c.EnvFrom {
		if from.ConfigMapRef == nil {
			continue
		}
		if cm := o.ConfigMaps[from.ConfigMapRef.Name]; cm != nil {
			if v, ok := cm.Data[name]; ok {
				return v, true
			}
		}
	}
	return "", false
}
