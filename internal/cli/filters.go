package cli

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"wzdaily/articles"
)

// checkTags refuses tags that no article carries and no topic names: a
// typo would otherwise look like a search that found nothing.
func checkTags(ctx context.Context, store *articles.Store, tags []string) error {
	if len(tags) == 0 {
		return nil
	}
	known, err := store.Tags(ctx)
	if err != nil {
		return err
	}
	topics := store.Topics()
	var unknown []string
	for _, t := range tags {
		if !slices.Contains(topics, t) && !slices.ContainsFunc(known, func(k articles.TagCount) bool { return k.Tag == t }) {
			unknown = append(unknown, fmt.Sprintf("%q", t))
		}
	}
	if len(unknown) > 0 {
		return fmt.Errorf("%w: no tag %s: wzdaily tags lists them", errUsage, strings.Join(unknown, ", "))
	}
	return nil
}

// checkDays refuses a range that holds no day: --to is the first day left
// out, so --from must come before it.
func checkDays(from, to time.Time) error {
	if from.IsZero() || to.IsZero() || from.Before(to) {
		return nil
	}
	return fmt.Errorf("%w: --from %s is not before --to %s, so no article can match (--to is the first day left out: for one day, --from %s --to %s)",
		errUsage, from.Format(time.DateOnly), to.Format(time.DateOnly), from.Format(time.DateOnly), from.AddDate(0, 0, 1).Format(time.DateOnly))
}
