//go:build tools

// Package tools keeps the flux-operator API package in this module's build list.
package tools

import _ "github.com/controlplaneio-fluxcd/flux-operator/api/v1"
