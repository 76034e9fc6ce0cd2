package main

import (
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/filesys"
)

// The manifests as they are pass; each altered copy below must fail, naming what is wrong.

func tree(t *testing.T) filesys.FileSystem {
	t.Helper()
	fs, err := LoadTree("..")
	if err != nil {
		t.Fatal(err)
	}
	return fs
}

// edit replaces old by new in one file of the tree (old must be there).
func edit(t *testing.T, fs filesys.FileSystem, file, old, new string) {
	t.Helper()
	path := "/k8s/" + file
	data, err := fs.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), old) {
		t.Fatalf("%s has no %q", file, old)
	}
	if err := fs.WriteFile(path, []byte(strings.Replace(string(data), old, new, 1))); err != nil {
		t.Fatal(err)
	}
}

func expectProblem(t *testing.T, fs filesys.FileSystem, want string) {
	t.Helper()
	problems, _, err := CheckOverlays(fs)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		if strings.Contains(p, want) {
			return
		}
	}
	t.Fatalf("want a problem containing %q, got %q", want, problems)
}

func TestTheManifestsPass(t *testing.T) {
	problems, summary, err := CheckTree("..")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range summary {
		t.Log(s)
	}
	if len(problems) > 0 {
		t.Fatalf("problems: %q", problems)
	}
	if len(summary) < 2 {
		t.Fatalf("want the KEDA and the HPA overlays, got %q", summary)
	}
}

func TestTyposInFieldNamesFail(t *testing.T) {
	cases := []struct{ file, old, new, want string }{
		{"base/worker.yaml", "terminationGracePeriodSeconds:", "terminationGracePeriodSecond:", `unknown field "spec.template.spec.terminationGracePeriodSecond"`},
		{"base/dashboard.yaml", "readOnlyRootFilesystem:", "readOnlyRootFileSystem:", `unknown field "spec.template.spec.containers[0].securityContext.readOnlyRootFileSystem"`},
		{"base/worker-pdb.yaml", "maxUnavailable:", "maxUnavailabe:", `unknown field "spec.maxUnavailabe"`},
		{"components/keda-autoscaling/scaledobject.yaml", "minReplicaCount:", "minReplicasCount:", `unknown field "spec.minReplicasCount"`},
		{"components/hpa-autoscaling/hpa.yaml", "averageUtilization:", "averageUtilisation:", `unknown field "spec.metrics[0].resource.target.averageUtilisation"`},
		{"components/keda-autoscaling/scaledobject.yaml", "valueLocation:", "valueLocaton:", `unknown metadata key "valueLocaton"`},
	}
	for _, c := range cases {
		t.Run(c.new, func(t *testing.T) {
			fs := tree(t)
			edit(t, fs, c.file, c.old, c.new)
			expectProblem(t, fs, c.want)
		})
	}
}

func TestAnUnknownKindFails(t *testing.T) {
	fs := tree(t)
	edit(t, fs, "base/worker-pdb.yaml", "kind: PodDisruptionBudget", "kind: PodDisruptionBudgets")
	expectProblem(t, fs, "no kind")
}

func TestInvariants(t *testing.T) {
	cases := []struct{ name, file, old, new, want string }{
		{"a password in a ConfigMap", "base/settings.yaml", "LOG_LEVEL: info", "LOG_LEVEL: info\n  REDIS_PASSWORD: s3cret",
			"key REDIS_PASSWORD holds a secret"},
		{"a URL with a password in a ConfigMap", "base/settings.yaml", "MONGO_HOSTS: mongodb:27017",
			"MONGO_HOSTS: mongodb:27017\n  MONGO_URL: mongodb://writer:s3cret@mongodb:27017/", "has a password in a URL"},
		{"a literal password in a container", "base/dashboard.yaml", "- name: DASHBOARD_HOST", "- name: DASHBOARD_PASS\n              value: s3cret\n            - name: DASHBOARD_HOST",
			"env DASHBOARD_PASS: a secret as a literal value"},
		{"a URL's password written out", "base/worker.yaml", "mongodb://$(MONGO_USER):$(MONGO_PASS)@", "mongodb://$(MONGO_USER):s3cret@",
			"env MONGO_URL: the URL's password must be $(VAR)"},
		{"a container as root", "base/db-init-job.yaml", "runAsNonRoot: true", "runAsNonRoot: false",
			"Job/hcingest-db-init container db-init: must run as non-root"},
		{"user 0", "base/producer-job.yaml", "runAsUser: 1000", "runAsUser: 0", "container producer: must run as non-root"},
		{"a writable root file system", "base/worker.yaml", "readOnlyRootFilesystem: true", "readOnlyRootFilesystem: false",
			"container worker: needs readOnlyRootFilesystem: true"},
		{"no memory limit", "base/dashboard.yaml", "              memory: 256Mi\n", "",
			"container dashboard: needs a memory request and limit"},
		{"a request above its limit", "base/worker.yaml", "cpu: 500m", "cpu: '2'", "cpu request 2 above its limit 1"},
		{"a grace period shorter than the worker's", "base/settings.yaml", "SHUTDOWN_GRACE_MS: '30000'", "SHUTDOWN_GRACE_MS: '42000'",
			"terminationGracePeriodSeconds must be at least SHUTDOWN_GRACE_MS (42000 ms)"},
		{"replicas on the worker", "base/worker.yaml", "  strategy:", "  replicas: 3\n  strategy:", "replicas is the autoscaler's"},
		{"a probe on another path", "base/worker.yaml", "path: /readyz", "path: /ready", "readinessProbe: needs an HTTP GET of /readyz"},
		{"the ScaledObject on another Deployment", "components/keda-autoscaling/scaledobject.yaml", "name: hcingest-worker\n  pollingInterval",
			"name: hcingest-dashboard\n  pollingInterval", "must target apps/v1 Deployment hcingest-worker"},
		{"the HPA on another Deployment", "components/hpa-autoscaling/hpa.yaml", "    name: hcingest-worker", "    name: hcingest-dashboard",
			"must target apps/v1 Deployment hcingest-worker"},
		{"the backlog read in another namespace", "components/keda-autoscaling/scaledobject.yaml", "hcingest-dashboard.hcingest.svc",
			"hcingest-dashboard.default.svc", "is not <service>.hcingest.svc"},
		{"the backlog read from another metric", "components/keda-autoscaling/scaledobject.yaml", "valueLocation: hcingest_chunk_backlog",
			`valueLocation: hcingest_queue_jobs{state="waiting"}`, "valueLocation hcingest_chunk_backlog"},
		{"the backlog read on a port the Service lacks", "components/keda-autoscaling/scaledobject.yaml", "svc:3000/metrics", "svc:9464/metrics",
			"Service hcingest-dashboard has no port 9464"},
		{"a PDB missing the workers", "base/worker-pdb.yaml", "app.kubernetes.io/name: hcingest-worker", "app.kubernetes.io/name: worker",
			"no PodDisruptionBudget selects the worker pods"},
		{"a NetworkPolicy open to every pod", "base/network-policy.yaml", "              app.kubernetes.io/name: redis\n",
			"              app.kubernetes.io/name: redis\n    - {}\n", "an ingress rule without from admits every pod"},
		{"an object outside the namespace", "overlays/example/kustomization.yaml", "namespace: hcingest\n", "",
			"ScaledObject/hcingest-worker: in namespace \"\", the others in \"hcingest\""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fs := tree(t)
			edit(t, fs, c.file, c.old, c.new)
			expectProblem(t, fs, c.want)
		})
	}
}

func TestTwoAutoscalersFail(t *testing.T) {
	fs := tree(t)
	edit(t, fs, "overlays/example-hpa/kustomization.yaml", "      $patch: delete\n", "")
	edit(t, fs, "overlays/example-hpa/kustomization.yaml", "patches:\n  - patch: |-\n      apiVersion: keda.sh/v1alpha1\n      kind: ScaledObject\n      metadata:\n        name: hcingest-worker\n", "")
	expectProblem(t, fs, "want exactly one autoscaler of the workers (ScaledObject or HPA), found 2")
}
