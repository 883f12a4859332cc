// Command dockerfile-lint runs the checks of `docker build --check` (BuildKit's
// Dockerfile frontend: parse errors, undefined variables and stages, casing,
// JSON-form CMD/ENTRYPOINT, secrets in ARG/ENV, ...) without a Docker engine.
// Base images are not pulled: each FROM resolves to an empty Linux image, so
// the checks see only what the Dockerfile itself declares. Any warning fails.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/client/llb/sourceresolver"
	"github.com/moby/buildkit/frontend/dockerfile/dockerfile2llb"
	"github.com/opencontainers/go-digest"
	ocispecs "github.com/opencontainers/image-spec/specs-go/v1"
)

// offlineImages answers every base image lookup with an empty image.
type offlineImages struct{}

func (offlineImages) ResolveImageConfig(_ context.Context, ref string, opt sourceresolver.Opt) (string, digest.Digest, []byte, error) {
	platform := ocispecs.Platform{OS: "linux", Architecture: "amd64"}
	if opt.ImageOpt != nil && opt.ImageOpt.Platform != nil {
		platform = *opt.ImageOpt.Platform
	}
	config, err := json.Marshal(ocispecs.Image{
		Platform: platform,
		Config:   ocispecs.ImageConfig{Env: []string{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"}},
		RootFS:   ocispecs.RootFS{Type: "layers"},
	})
	if err != nil {
		return "", "", nil, err
	}
	return ref, digest.FromBytes(config), config, nil
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: dockerfile-lint DOCKERFILE")
		os.Exit(2)
	}
	problems, err := lint(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "dockerfile-lint:", err)
		os.Exit(1)
	}
	if problems > 0 {
		fmt.Fprintf(os.Stderr, "%s: %d problem(s)\n", os.Args[1], problems)
		os.Exit(1)
	}
	fmt.Printf("%s: no problems\n", os.Args[1])
}

func lint(path string) (int, error) {
	source, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	// No LLB is built, so the source map's definition stays empty.
	sourceMap := &llb.SourceMap{Filename: path, Language: "Dockerfile", Data: source, Definition: &llb.Definition{}}
	results, err := dockerfile2llb.DockerfileLint(context.Background(), source, dockerfile2llb.ConvertOpt{
		SourceMap:    sourceMap,
		MetaResolver: offlineImages{},
	})
	if err != nil {
		return 0, err
	}
	if err := results.PrintTo(os.Stderr, nil); err != nil {
		return 0, err
	}
	problems := len(results.Warnings)
	if results.Error != nil {
		results.PrintErrorTo(os.Stderr, nil)
		problems++
	}
	return problems, nil
}
