package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"

	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"
)

// Rendered is one overlay's objects, each as the YAML kustomize printed.
type Rendered struct {
	Overlay string
	Objects [][]byte
}

// LoadTree copies the manifest tree (every .yaml file under root, the checker's own folder left
// out) into an in-memory file system rooted at /k8s, so tests can alter a copy.
func LoadTree(root string) (filesys.FileSystem, error) {
	mem := filesys.MakeFsInMemory()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if d.IsDir() {
			if rel == "check" {
				return filepath.SkipDir
			}
			return nil
		}
		if filepath.Ext(path) != ".yaml" {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return mem.WriteFile(filepath.Join("/k8s", rel), data)
	})
	return mem, err
}

// Overlays lists the overlays of the tree (/k8s/overlays/*), sorted.
func Overlays(tree filesys.FileSystem) ([]string, error) {
	var out []string
	err := tree.Walk("/k8s/overlays", func(path string, info fs.FileInfo, err error) error {
		if err == nil && !info.IsDir() && filepath.Base(path) == "kustomization.yaml" {
			out = append(out, filepath.Dir(path))
		}
		return err
	})
	sort.Strings(out)
	return out, err
}

// Render builds one overlay with kustomize, as `kubectl apply -k` would.
func Render(tree filesys.FileSystem, overlay string) (Rendered, error) {
	k := krusty.MakeKustomizer(krusty.MakeDefaultOptions())
	m, err := k.Run(tree, overlay)
	if err != nil {
		return Rendered{}, fmt.Errorf("%s: kustomize: %w", overlay, err)
	}
	r := Rendered{Overlay: overlay}
	for _, res := range m.Resources() {
		y, err := res.AsYAML()
		if err != nil {
			return Rendered{}, fmt.Errorf("%s: %s: %w", overlay, res.CurId(), err)
		}
		r.Objects = append(r.Objects, y)
	}
	return r, nil
}
