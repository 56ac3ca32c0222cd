package cli

import (
	"wzdaily/bot/telegram"
	"wzdaily/internal/app"
	"wzdaily/internal/config"
)

// secrets are the settings the log must never show: the Telegram token,
// the webhook URLs and their paths (the path is hard to guess on purpose),
// the Telegram webhook secret, and the Official Account's AppSecret,
// server token and EncodingAESKey.
func secrets(s app.Settings) []string {
	oa := s.OfficialAccount
	out := []string{s.Telegram.Token, s.Telegram.WebhookSecret, oa.AppSecret, oa.Token, oa.AESKey}
	out = append(out, urlSecrets(s.Telegram.Webhook)...)
	return append(out, urlSecrets(s.Webhook.URL)...)
}

// webhookSecret checks a configured webhook secret by Telegram's rule.
func webhookSecret(v config.Value) error {
	if s := v.String(); s != "" {
		return telegram.CheckSecretToken(s)
	}
	return nil
}
