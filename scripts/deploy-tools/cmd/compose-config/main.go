// Command compose-config does offline what `docker compose config` does:
// it loads Compose files with compose-go, the loader inside Docker Compose
// v2, which validates them against the Compose Specification schema,
// interpolates variables and checks references between services, volumes
// and networks; then it prints the resolved model. Unlike `docker compose
// config` it also checks that every build context and Dockerfile exists,
// since nothing here can run the build.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/compose-spec/compose-go/v2/types"
)

// repeated is a flag that may be given several times.
type repeated []string

func (f *repeated) String() string     { return strings.Join(*f, ",") }
func (f *repeated) Set(v string) error { *f = append(*f, v); return nil }

func main() {
	var files repeated
	var profiles repeated
	flag.Var(&files, "f", "Compose file (repeat to layer files, as with docker compose -f)")
	flag.Var(&profiles, "profile", "profile to enable (repeatable)")
	quiet := flag.Bool("quiet", false, "only validate, print nothing")
	flag.Parse()
	if len(files) == 0 || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: compose-config -f FILE [-f FILE]... [-profile NAME]... [-quiet]")
		os.Exit(2)
	}
	if err := run(files, profiles, *quiet); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run(files, profiles []string, quiet bool) error {
	options, err := cli.NewProjectOptions(files, cli.WithOsEnv, cli.WithDotEnv, cli.WithProfiles(profiles), cli.WithConsistency(true))
	if err != nil {
		return err
	}
	project, err := options.LoadProject(context.Background())
	if err != nil {
		return err
	}
	if err := checkBuildPaths(project); err != nil {
		return err
	}
	if quiet {
		return nil
	}
	model, err := project.MarshalYAML()
	if err != nil {
		return err
	}
	_, err = os.Stdout.Write(model)
	return err
}

func checkBuildPaths(project *types.Project) error {
	var problems []error
	for name, service := range project.Services {
		if service.Build == nil {
			continue
		}
		buildContext := service.Build.Context
		if info, err := os.Stat(buildContext); err != nil || !info.IsDir() {
			problems = append(problems, fmt.Errorf("service %q: build context %s is not a folder", name, buildContext))
			continue
		}
		dockerfile := service.Build.Dockerfile
		if dockerfile == "" {
			dockerfile = "Dockerfile"
		}
		if !filepath.IsAbs(dockerfile) {
			dockerfile = filepath.Join(buildContext, dockerfile)
		}
		if _, err := os.Stat(dockerfile); err != nil {
			problems = append(problems, fmt.Errorf("service %q: Dockerfile %s does not exist", name, dockerfile))
		}
	}
	return errors.Join(problems...)
}
