package main

import (
	"fmt"
	"regexp"
	"strings"

	corev1 "k8s.io/api/core/v1"
)

// A name that holds a secret, and a connection string with a password in it.
var (
	secretName    = regexp.MustCompile(`(?i)(PASS|PASSWORD|SECRET|TOKEN|CREDENTIALS?|PRIVATE_?KEY|API_?KEY)$`)
	urlWithPass   = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9+.-]*://[^/@]*:([^/@]+)@`)
	onlyReference = regexp.MustCompile(`^\$\(([A-Za-z_][A-Za-z0-9_]*)\)$`)
)

// checkConfigMaps: no secret in a ConfigMap, by key or by a password in a URL.
func checkConfigMaps(o Objects) []string {
	var p []string
	for name, cm := range o.ConfigMaps {
		for k, v := range cm.Data {
			if secretName.MatchString(k) {
				p = append(p, fmt.Sprintf("ConfigMap/%s: key %s holds a secret: put it in a Secret", name, k))
			}
			if urlWithPass.MatchString(v) {
				p = append(p, fmt.Sprintf("ConfigMap/%s: key %s has a password in a URL: put it in a Secret", name, k))
			}
		}
	}
	return p
}

// checkSecretEnv: a container's secrets come from Secrets: no literal value for a secret's name,
// and a password in a URL only as $(VAR) of a variable taken from a Secret.
func checkSecretEnv(o Objects) []string {
	var p []string
	for _, pod := range o.Pods() {
		for _, c := range containers(pod.Spec) {
			fromSecret := map[string]bool{}
			for _, e := range c.Env {
				where := fmt.Sprintf("%s container %s env %s", pod.Owner, c.Name, e.Name)
				if e.ValueFrom != nil {
					fromSecret[e.Name] = e.ValueFrom.SecretKeyRef != nil
					continue
				}
				if secretName.MatchString(e.Name) {
					p = append(p, where+": a secret as a literal value: take it from a Secret (secretKeyRef)")
				}
				if m := urlWithPass.FindStringSubmatch(e.Value); m != nil {
					ref := onlyReference.FindStringSubmatch(m[1])
					if ref == nil || !fromSecret[ref[1]] {
						p = append(p, where+": the URL's password must be $(VAR) of a variable from a Secret")
					}
				}
			}
		}
	}
	return p
}

func containers(t *corev1.PodTemplateSpec) []*corev1.Container {
	var out []*corev1.Container
	for i := range t.Spec.InitContainers {
		out = append(out, &t.Spec.InitContainers[i])
	}
	for i := range t.Spec.Containers {
		out = append(out, &t.Spec.Containers[i])
	}
	return out
}

func imageTagged(image string) bool {
	last := image[strings.LastIndex(image, "/")+1:]
	i := strings.LastIndex(last, ":")
	return strings.Contains(last, "@") || (i >= 0 && last[i+1:] != "latest")
}
