// notecheck opens a C2SP signed note with golang.org/x/mod/sumdb/note, an implementation
// EvidenceKit did not write, and prints the verified text and signer names.
//
// Usage: notecheck NOTE-FILE VKEY [VKEY...]
// A vkey whose type byte is 0x04 is an Ed25519 witness cosigner (C2SP tlog-cosignature):
// x/mod does not know that type, so a small Verifier here checks its timestamped signature
// while x/mod still parses the note, matches names and key ids, and rejects bad lines.
package main

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"os"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
)

type cosigner struct {
	name string
	hash uint32
	key  ed25519.PublicKey
}

func (c *cosigner) Name() string    { return c.name }
func (c *cosigner) KeyHash() uint32 { return c.hash }
func (c *cosigner) Verify(msg, sig []byte) bool {
	if len(sig) != 8+ed25519.SignatureSize {
		return false
	}
	t := binary.BigEndian.Uint64(sig)
	m := []byte("cosignature/v1\ntime " + strconv.FormatUint(t, 10) + "\n")
	return ed25519.Verify(c.key, append(m, msg...), sig[8:])
}

func parseCosigner(vkey string) (note.Verifier, error) {
	parts := strings.SplitN(vkey, "+", 3)
	if len(parts) != 3 {
		return nil, fmt.Errorf("bad vkey %q", vkey)
	}
	raw, err := base64.StdEncoding.DecodeString(parts[2])
	if err != nil || len(raw) != 33 || raw[0] != 0x04 {
		return nil, fmt.Errorf("bad cosigner key %q", vkey)
	}
	h := sha256.Sum256(append([]byte(parts[0]+"\n"), raw...))
	id := binary.BigEndian.Uint32(h[:4])
	if fmt.Sprintf("%08x", id) != parts[1] {
		return nil, fmt.Errorf("cosigner key id mismatch in %q", vkey)
	}
	return &cosigner{parts[0], id, ed25519.PublicKey(raw[1:])}, nil
}

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: notecheck NOTE VKEY...")
		os.Exit(2)
	}
	msg, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	var vs []note.Verifier
	for _, k := range os.Args[2:] {
		var v note.Verifier
		parts := strings.SplitN(k, "+", 3)
		raw, _ := base64.StdEncoding.DecodeString(parts[len(parts)-1])
		if len(raw) > 0 && raw[0] == 0x04 {
			v, err = parseCosigner(k)
		} else {
			v, err = note.NewVerifier(k)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		vs = append(vs, v)
	}
	n, err := note.Open(msg, note.VerifierList(vs...))
	if err != nil {
		fmt.Println("REJECTED:", err)
		os.Exit(1)
	}
	fmt.Print("TEXT\n" + n.Text)
	for _, s := range n.Sigs {
		fmt.Println("SIGNED", s.Name)
	}
}
