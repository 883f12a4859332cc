// Package k8sopenapi holds the OpenAPI definitions of the built-in Kubernetes
// kinds, generated from the pinned k8s.io/api module by openapi-gen (the
// generator Kubernetes itself uses). The generated file is not committed:
// scripts/lib/deploy-tools.js runs `go generate` before building.
package k8sopenapi

//go:generate go tool openapi-gen --output-dir . --output-pkg strangler/scripts/deploy-tools/internal/k8sopenapi --output-file zz_generated.openapi.go --go-header-file /dev/null --report-filename /dev/null k8s.io/api/core/v1 k8s.io/api/apps/v1 k8s.io/api/autoscaling/v2 k8s.io/api/batch/v1 k8s.io/api/networking/v1 k8s.io/api/policy/v1 k8s.io/api/rbac/v1 k8s.io/api/scheduling/v1alpha3 k8s.io/apimachinery/pkg/apis/meta/v1 k8s.io/apimachinery/pkg/api/resource k8s.io/apimachinery/pkg/util/intstr k8s.io/apimachinery/pkg/runtime k8s.io/apimachinery/pkg/version
