// Command k8s-schemas writes strict, standalone JSON schemas of the built-in
// Kubernetes kinds in the layout kubeconform reads with
// -schema-location '<dir>/{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json',
// so manifests are validated without reaching the internet.
//
// The kinds come from the pinned k8s.io/api module's own scheme registration,
// their shapes from openapi-gen run over the same module. The conversion
// follows kubeconform's openapi2jsonschema: every $ref is inlined, objects
// reject undeclared fields (additionalProperties: false), optional fields
// accept null, and int-or-string and quantity values accept numbers.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime/debug"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/kube-openapi/pkg/common"
	"k8s.io/kube-openapi/pkg/validation/spec"

	"strangler/scripts/deploy-tools/internal/k8sopenapi"
)

const refPrefix = "#/definitions/"

// The API groups a chart of this project may use; a kind outside them has no
// schema, which kubeconform reports as an error.
var groups = []func(*runtime.Scheme) error{
	corev1.AddToScheme,
	appsv1.AddToScheme,
	autoscalingv2.AddToScheme,
	batchv1.AddToScheme,
	networkingv1.AddToScheme,
	policyv1.AddToScheme,
	rbacv1.AddToScheme,
}

// Types whose JSON form is not what their Go shape suggests.
var customTypes = map[string]map[string]any{
	intstr.IntOrString{}.OpenAPIModelName(): {"oneOf": []any{map[string]any{"type": "string"}, map[string]any{"type": "integer"}}},
	resource.Quantity{}.OpenAPIModelName():  {"oneOf": []any{map[string]any{"type": "string"}, map[string]any{"type": "number"}}},
}

// modelNamed is implemented by every generated API type; its name keys the definitions.
type modelNamed interface{ OpenAPIModelName() string }

func main() {
	out := flag.String("out", "", "folder to write <version>-standalone-strict/<kind>-<group>-<version>.json into")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "usage: k8s-schemas -out DIR")
		os.Exit(2)
	}
	if err := run(*out); err != nil {
		fmt.Fprintln(os.Stderr, "k8s-schemas:", err)
		os.Exit(1)
	}
}

func run(out string) error {
	definitions, err := loadDefinitions()
	if err != nil {
		return err
	}
	version, err := kubernetesVersion()
	if err != nil {
		return err
	}
	dir := filepath.Join(out, "v"+version+"-standalone-strict")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	scheme := runtime.NewScheme()
	for _, add := range groups {
		if err := add(scheme); err != nil {
			return err
		}
	}
	written := 0
	for gvk, goType := range scheme.AllKnownTypes() {
		// Each group also registers meta/v1's option and watch types; they are not resources.
		model, ok := reflect.New(goType).Elem().Interface().(modelNamed)
		if !strings.HasPrefix(goType.PkgPath(), "k8s.io/api/") || !ok {
			continue
		}
		name := model.OpenAPIModelName()
		document, err := expand(definitions, name, nil)
		if err != nil {
			return fmt.Errorf("%s: %w", gvk, err)
		}
		restrictTypeFields(document.(map[string]any), gvk)
		data, err := json.Marshal(document)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, fileName(gvk)), data, 0o644); err != nil {
			return err
		}
		written++
	}
	fmt.Printf("wrote %d schemas for Kubernetes %s into %s\n", written, version, dir)
	return nil
}

// loadDefinitions turns the generated definitions into plain JSON values keyed by model name.
func loadDefinitions() (map[string]map[string]any, error) {
	generated := k8sopenapi.GetOpenAPIDefinitions(func(path string) spec.Ref {
		return spec.MustCreateRef(refPrefix + path)
	})
	definitions := make(map[string]map[string]any, len(generated))
	for name, definition := range generated {
		definitions[name] = customTypes[name]
		if definitions[name] != nil {
			continue
		}
		value, err := toJSONValue(definition)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		definitions[name] = value
	}
	return definitions, nil
}

func toJSONValue(definition common.OpenAPIDefinition) (map[string]any, error) {
	data, err := json.Marshal(definition.Schema)
	if err != nil {
		return nil, err
	}
	var value map[string]any
	return value, json.Unmarshal(data, &value)
}

// expand returns a copy of the named definition with every reference inlined
// and the strict rules applied; a reference cycle is an error rather than an
// endless schema.
func expand(definitions map[string]map[string]any, name string, path []string) (any, error) {
	for _, seen := range path {
		if seen == name {
			return nil, fmt.Errorf("reference cycle through %s", strings.Join(append(path, name), " -> "))
		}
	}
	definition, ok := definitions[name]
	if !ok {
		return nil, fmt.Errorf("no definition for %s", name)
	}
	return expandSchema(definitions, definition, append(path, name))
}

// expandSchema copies one schema, expanding the keywords that hold schemas
// and leaving values (defaults, enums, extensions) as they are.
func expandSchema(definitions map[string]map[string]any, value any, path []string) (any, error) {
	schema, ok := value.(map[string]any)
	if !ok {
		return value, nil // additionalProperties may be a boolean
	}
	if ref, ok := schema["$ref"].(string); ok {
		return expand(definitions, strings.TrimPrefix(ref, refPrefix), path)
	}
	object := make(map[string]any, len(schema)+1)
	for key, item := range schema {
		var err error
		switch key {
		case "description":
			continue
		case "properties":
			properties := map[string]any{}
			for name, property := range item.(map[string]any) {
				if properties[name], err = expandSchema(definitions, property, path); err != nil {
					return nil, err
				}
			}
			object[key] = properties
		case "items", "additionalProperties", "not":
			object[key], err = expandSchema(definitions, item, path)
		case "allOf", "anyOf", "oneOf":
			alternatives := make([]any, len(item.([]any)))
			for i, alternative := range item.([]any) {
				if alternatives[i], err = expandSchema(definitions, alternative, path); err != nil {
					return nil, err
				}
			}
			object[key] = alternatives
		default:
			object[key] = item
		}
		if err != nil {
			return nil, err
		}
	}
	if properties, ok := object["properties"].(map[string]any); ok {
		if _, declared := object["additionalProperties"]; !declared {
			object["additionalProperties"] = false
		}
		allowNullWhereOptional(properties, requiredSet(object))
	}
	return object, nil
}

func requiredSet(object map[string]any) map[string]bool {
	required := map[string]bool{}
	names, _ := object["required"].([]any)
	for _, name := range names {
		required[name.(string)] = true
	}
	return required
}

// allowNullWhereOptional mirrors the API server, which treats an explicit
// null as "not set" for fields that are not required.
func allowNullWhereOptional(properties map[string]any, required map[string]bool) {
	for name, property := range properties {
		schema, ok := property.(map[string]any)
		if !ok || required[name] {
			continue
		}
		if single, ok := schema["type"].(string); ok {
			schema["type"] = []any{single, "null"}
		}
	}
}

// restrictTypeFields makes apiVersion and kind accept only this kind's values.
func restrictTypeFields(document map[string]any, gvk schema.GroupVersionKind) {
	properties, _ := document["properties"].(map[string]any)
	if properties == nil {
		return
	}
	properties["apiVersion"] = map[string]any{"type": "string", "enum": []any{gvk.GroupVersion().String()}}
	properties["kind"] = map[string]any{"type": "string", "enum": []any{gvk.Kind}}
}

// fileName follows kubeconform's {{ .ResourceKind }}{{ .KindSuffix }}.json.
func fileName(gvk schema.GroupVersionKind) string {
	suffix := "-" + strings.ToLower(gvk.Version)
	if gvk.Group != "" {
		suffix = "-" + strings.ToLower(strings.Split(gvk.Group, ".")[0]) + suffix
	}
	return strings.ToLower(gvk.Kind) + suffix + ".json"
}

// kubernetesVersion is the Kubernetes release matching the k8s.io/api module
// this program was built with (module v0.X.Y is Kubernetes 1.X.Y).
func kubernetesVersion() (string, error) {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "", fmt.Errorf("build information is missing")
	}
	for _, module := range info.Deps {
		if module.Path == "k8s.io/api" {
			return "1" + strings.TrimPrefix(module.Version, "v0"), nil
		}
	}
	return "", fmt.Errorf("k8s.io/api is not a dependency")
}
