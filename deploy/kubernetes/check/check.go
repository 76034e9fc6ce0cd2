package main

import (
	"fmt"
	"strings"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/kustomize/kyaml/filesys"
)

// Check decodes every object of a rendered overlay strictly and checks the invariants; it
// returns the problems found, each naming the object.
func Check(r Rendered) []string {
	var problems []string
	var objs []runtime.Object
	for _, doc := range r.Objects {
		obj, err := Decode(doc)
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		objs = append(objs, obj)
	}
	if len(problems) > 0 {
		return problems
	}
	problems = append(problems, checkNamespace(objs)...)
	o := sortObjects(objs)
	for _, check := range []func(Objects) []string{
		checkConfigMaps, checkPodSecurity, checkResources, checkSecretEnv, checkWorker,
		checkAutoscaler, checkPDB, checkNetworkPolicies,
	} {
		problems = append(problems, check(o)...)
	}
	return problems
}

// CheckOverlays renders and checks every overlay of a tree (see LoadTree).
func CheckOverlays(tree filesys.FileSystem) (problems, summary []string, err error) {
	overlays, err := Overlays(tree)
	if err != nil || len(overlays) == 0 {
		return nil, nil, fmt.Errorf("no overlays under overlays/: %v", err)
	}
	for _, overlay := range overlays {
		r, err := Render(tree, overlay)
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		found := Check(r)
		for _, p := range found {
			problems = append(problems, strings.TrimPrefix(overlay, "/k8s/")+": "+p)
		}
		summary = append(summary, fmt.Sprintf("%s: %d objects, %d problems", strings.TrimPrefix(overlay, "/k8s/"), len(r.Objects), len(found)))
	}
	return problems, summary, nil
}

// checkNamespace: every object in one namespace (a component's objects miss the namespace of
// the base they are added to unless the overlay sets it).
func checkNamespace(objs []runtime.Object) []string {
	var p []string
	want := ""
	for _, obj := range objs {
		m, err := meta.Accessor(obj)
		if err != nil {
			continue
		}
		if want == "" {
			want = m.GetNamespace()
		}
		if ns := m.GetNamespace(); ns != want || ns == "" {
			kind := obj.GetObjectKind().GroupVersionKind().Kind
			p = append(p, fmt.Sprintf("%s/%s: in namespace %q, the others in %q", kind, m.GetName(), ns, want))
		}
	}
	return p
}
