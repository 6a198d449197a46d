// Command ferretdb runs FerretDB v1.24.2 (SQLite handler) embedded as a library.
//
// Why not `go install github.com/FerretDB/FerretDB/cmd/ferretdb@v1.24.2`: the
// module zip ships an empty build/version/version.txt, and that binary panics at
// start ("Invalid build/version/version.txt file content"). The embeddable
// package (github.com/FerretDB/FerretDB/ferretdb) skips that check and has no
// debug HTTP listener (the command's default takes 127.0.0.1:8088, so a second
// FerretDB on one machine would exit). The version is pinned in go.mod.
//
// Prints one line, "ready <mongodb uri>", on stdout once it accepts connections;
// errors go to stderr. Stops on SIGINT/SIGTERM, or when stdin closes with
// --exit-with-stdin (so it never outlives the process that started it).
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

// Version is the FerretDB module version this command is built from (see go.mod).
const Version = "1.24.2"

func main() {
	listen := flag.String("listen-addr", "127.0.0.1:27017", "TCP address to listen on (port 0: any free port)")
	sqliteURL := flag.String("sqlite-url", "file:data/", "SQLite directory URI (must end with /)")
	logLevel := flag.String("log-level", "error", "debug, info, warn or error")
	exitWithStdin := flag.Bool("exit-with-stdin", false, "stop when standard input reaches EOF")
	showVersion := flag.Bool("version", false, "print the FerretDB version and exit")
	flag.Parse()

	if *showVersion {
		fmt.Println(Version)
		return
	}

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fail("bad --log-level: %v", err)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: *listen},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: *sqliteURL,
	})
	if err != nil {
		fail("%v", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if *exitWithStdin {
		go func() {
			_, _ = io.Copy(io.Discard, os.Stdin)
			stop()
		}()
	}

	// New has already bound the listener (port 0 picks a free one), so the URI is final.
	fmt.Printf("ready %s\n", f.MongoDBURI())
	_ = f.Run(ctx)
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "ferretdb: "+format+"\n", args...)
	os.Exit(1)
}
