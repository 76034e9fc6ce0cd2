// Command check renders every overlay of deploy/kubernetes with kustomize, decodes each object
// strictly into the Kubernetes and KEDA API types (unknown fields refused), and checks the
// stack's invariants (docs/kubernetes.md). Offline: no cluster is contacted.
//
//	go run . [--dir ..]
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	dir := flag.String("dir", "..", "the manifest tree (deploy/kubernetes)")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "Usage: check [--dir deploy/kubernetes]\n\nRenders every overlay, decodes every object strictly into the API types and checks the invariants; exit 1 on any problem.")
		flag.PrintDefaults()
	}
	flag.Parse()
	problems, summary, err := CheckTree(*dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	for _, line := range summary {
		fmt.Println(line)
	}
	for _, p := range problems {
		fmt.Fprintln(os.Stderr, "problem:", p)
	}
	if len(problems) > 0 {
		os.Exit(1)
	}
}

// CheckTree checks every overlay of the tree on disk.
func CheckTree(dir string) (problems, summary []string, err error) {
	tree, err := LoadTree(dir)
	if err != nil {
		return nil, nil, err
	}
	return CheckOverlays(tree)
}
