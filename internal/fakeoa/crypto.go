package fakeoa

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// signature is WeChat's request signature: the SHA-1, in lower-case hex, of
// the parts sorted as strings and joined. Pushes sign token, timestamp and
// nonce (signature); safe mode adds the encrypted body (msg_signature).
// https://developers.weixin.qq.com/doc/subscription/guide/dev/push/encryption.md
func signature(parts ...string) string {
	sorted := slices.Clone(parts)
	slices.Sort(sorted)
	sum := sha1.Sum([]byte(strings.Join(sorted, "")))
	return hex.EncodeToString(sum[:])
}

// cipherBox encrypts and decrypts safe-mode bodies. The scheme, from the
// platform's technical plan
// (https://developers.weixin.qq.com/doc/oplatform/en/Third-party_Platforms/Message_Encryption/Technical_Plan.html):
// AESKey = Base64_Decode(EncodingAESKey + "="), 32 bytes; AES-256-CBC with
// the key's first 16 bytes as IV; the plaintext is random(16) +
// msg_len(4, network order) + msg + appid, padded PKCS#7 to a multiple of 32
// bytes; the result travels base64-encoded.
type cipherBox struct {
	block cipher.Block
	iv    []byte
	appID string
}

// padBlock is the PKCS#7 block size the scheme pads to: 32, not AES's 16.
const padBlock = 32

func newCipherBox(encodingAESKey, appID string) (*cipherBox, error) {
	key, err := base64.StdEncoding.DecodeString(encodingAESKey + "=")
	if err != nil || len(key) != 32 {
		return nil, errors.New("fakeoa: EncodingAESKey does not decode to 32 bytes")
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("fakeoa: unable to use the AES key: %w", err)
	}
	return &cipherBox{block: block, iv: key[:16], appID: appID}, nil
}

// encrypt returns msg sealed for the account, base64-encoded.
func (c *cipherBox) encrypt(msg []byte) string {
	n := 16 + 4 + len(msg) + len(c.appID)
	pad := padBlock - n%padBlock
	plain := make([]byte, n, n+pad)
	_, _ = rand.Read(plain[:16]) // crypto/rand.Read never fails
	binary.BigEndian.PutUint32(plain[16:20], uint32(len(msg)))
	copy(plain[20:], msg)
	copy(plain[20+len(msg):], c.appID)
	plain = append(plain, bytes.Repeat([]byte{byte(pad)}, pad)...)
	cipher.NewCBCEncrypter(c.block, c.iv).CryptBlocks(plain, plain)
	return base64.StdEncoding.EncodeToString(plain)
}

// decrypt opens a base64 body sealed by the bot, checks its padding, its
// length field and that it names this account's AppID, and returns the
// message.
func (c *cipherBox) decrypt(sealed string) ([]byte, error) {
	data, err := base64.StdEncoding.DecodeString(sealed)
	switch {
	case err != nil:
		return nil, fmt.Errorf("the ciphertext is not base64: %w", err)
	case len(data) == 0 || len(data)%padBlock != 0:
		return nil, fmt.Errorf("the ciphertext is %d bytes, not a positive multiple of %d", len(data), padBlock)
	}
	cipher.NewCBCDecrypter(c.block, c.iv).CryptBlocks(data, data)
	pad := int(data[len(data)-1])
	if pad < 1 || pad > padBlock || !bytes.Equal(data[len(data)-pad:], bytes.Repeat([]byte{byte(pad)}, pad)) {
		return nil, errors.New("the plaintext's PKCS#7 padding is wrong")
	}
	data = data[:len(data)-pad]
	if len(data) < 20 {
		return nil, errors.New("the plaintext is shorter than its random prefix and length")
	}
	size := binary.BigEndian.Uint32(data[16:20])
	if uint64(size) > uint64(len(data)-20) {
		return nil, fmt.Errorf("the plaintext says its message is %d bytes, but only %d follow", size, len(data)-20)
	}
	msg, appID := data[20:20+size], string(data[20+size:])
	if appID != c.appID {
		return nil, fmt.Errorf("the plaintext names AppID %q, not the account's", appID)
	}
	return msg, nil
}
