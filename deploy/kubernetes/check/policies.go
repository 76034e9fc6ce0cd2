package main

import (
	"reflect"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
)

// checkPDB: a PodDisruptionBudget selects the worker pods with maxUnavailable (minAvailable
// would block every drain of a single worker).
func checkPDB(o Objects) []string {
	w := o.Worker()
	if w == nil {
		return nil
	}
	for _, pdb := range o.PDBs {
		sel, err := metav1.LabelSelectorAsSelector(pdb.Spec.Selector)
		if err == nil && !sel.Empty() && sel.Matches(labels.Set(w.Spec.Template.Labels)) {
			if pdb.Spec.MaxUnavailable == nil || pdb.Spec.MinAvailable != nil {
				return []string{"PodDisruptionBudget/" + pdb.Name + ": use maxUnavailable, not minAvailable"}
			}
			return nil
		}
	}
	return []string{"no PodDisruptionBudget selects the worker pods"}
}

// checkNetworkPolicies: each policy guards a data store's pods: it admits our pods (label
// part-of: hcingest) on given ports, and the store's own pods; nothing from everywhere.
func checkNetworkPolicies(o Objects) []string {
	if len(o.NetPolicies) == 0 {
		return []string{"no NetworkPolicy guards MongoDB and Redis"}
	}
	var p []string
	ours := metav1.LabelSelector{MatchLabels: map[string]string{PartOf: "hcingest"}}
	for _, np := range o.NetPolicies {
		where := "NetworkPolicy/" + np.Name
		admitsOurs := false
		for _, rule := range np.Spec.Ingress {
			if len(rule.From) == 0 {
				p = append(p, where+": an ingress rule without from admits every pod")
			}
			for _, peer := range rule.From {
				switch {
				case peer.PodSelector == nil || peer.NamespaceSelector != nil || peer.IPBlock != nil:
					p = append(p, where+": peers are pod selectors of this namespace only")
				case reflect.DeepEqual(*peer.PodSelector, ours):
					admitsOurs = admitsOurs || len(rule.Ports) > 0
				case !reflect.DeepEqual(*peer.PodSelector, np.Spec.PodSelector):
					p = append(p, where+": admits pods that are neither ours nor the store's own")
				}
			}
		}
		if !admitsOurs || len(np.Spec.PodSelector.MatchLabels) == 0 {
			p = append(p, where+": must select the store's pods and admit ours ("+PartOf+": hcingest) on its ports")
		}
	}
	return p
}
