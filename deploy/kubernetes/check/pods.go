package main

import (
	"fmt"

	corev1 "k8s.io/api/core/v1"
)

// checkPodSecurity: every container runs as non-root, with a read-only root file system, no
// privilege escalation and no capabilities, from a tagged image; every pod is labelled part of
// the stack (the NetworkPolicies admit that label).
func checkPodSecurity(o Objects) []string {
	var p []string
	for _, pod := range o.Pods() {
		if pod.Spec.Labels[PartOf] != "hcingest" {
			p = append(p, fmt.Sprintf("%s: pods need the label %s: hcingest", pod.Owner, PartOf))
		}
		ps := pod.Spec.Spec.SecurityContext
		if ps == nil {
			ps = &corev1.PodSecurityContext{}
		}
		for _, c := range containers(pod.Spec) {
			where := fmt.Sprintf("%s container %s", pod.Owner, c.Name)
			sc := c.SecurityContext
			if sc == nil {
				sc = &corev1.SecurityContext{}
			}
			nonRoot, user := ps.RunAsNonRoot, ps.RunAsUser
			if sc.RunAsNonRoot != nil {
				nonRoot = sc.RunAsNonRoot
			}
			if sc.RunAsUser != nil {
				user = sc.RunAsUser
			}
			if nonRoot == nil || !*nonRoot || (user != nil && *user == 0) {
				p = append(p, where+": must run as non-root (runAsNonRoot: true, runAsUser not 0)")
			}
			if sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem {
				p = append(p, where+": needs readOnlyRootFilesystem: true")
			}
			if sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation {
				p = append(p, where+": needs allowPrivilegeEscalation: false")
			}
			if sc.Capabilities == nil || len(sc.Capabilities.Drop) != 1 || sc.Capabilities.Drop[0] != "ALL" {
				p = append(p, where+": needs capabilities.drop: [ALL]")
			}
			if !imageTagged(c.Image) {
				p = append(p, where+": image "+c.Image+" needs a tag other than latest (or a digest)")
			}
		}
	}
	return p
}

// checkResources: every container requests and limits CPU and memory, requests within limits.
func checkResources(o Objects) []string {
	var p []string
	for _, pod := range o.Pods() {
		for _, c := range containers(pod.Spec) {
			where := fmt.Sprintf("%s container %s", pod.Owner, c.Name)
			for _, r := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
				req, hasReq := c.Resources.Requests[r]
				lim, hasLim := c.Resources.Limits[r]
				if !hasReq || !hasLim {
					p = append(p, fmt.Sprintf("%s: needs a %s request and limit", where, r))
				} else if req.Cmp(lim) > 0 {
					p = append(p, fmt.Sprintf("%s: %s request %s above its limit %s", where, r, req.String(), lim.String()))
				}
			}
		}
	}
	return p
}
