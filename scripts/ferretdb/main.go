// Command ferretdb runs an embedded FerretDB 1.x (MongoDB wire protocol on a
// SQLite folder) for development and tests. It wraps the embeddable package
// because the module's own cmd/ferretdb refuses to start when built with
// `go install` (its version file is not part of the published module).
package main

import (
	"context"
	"flag"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen-addr", "127.0.0.1:27017", "host:port to accept MongoDB wire protocol connections on")
	dataDir := flag.String("data-dir", "data", "folder holding one SQLite file per database")
	logLevel := flag.String("log-level", "warn", "debug, info, warn or error")
	flag.Parse()

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		slog.Error("invalid --log-level", "value", *logLevel)
		os.Exit(2)
	}
	if err := os.MkdirAll(*dataDir, 0o755); err != nil {
		slog.Error("cannot create data folder", "dir", *dataDir, "err", err)
		os.Exit(1)
	}

	logger := slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	db, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: *listen},
		Handler:   "sqlite",
		SQLiteURL: "file:" + *dataDir + "/",
		Logger:    logger,
	})
	if err != nil {
		logger.Error("cannot configure FerretDB", "err", err)
		os.Exit(1)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := db.Run(ctx); err != nil && ctx.Err() == nil {
		logger.Error("FerretDB stopped", "err", err)
		os.Exit(1)
	}
}
