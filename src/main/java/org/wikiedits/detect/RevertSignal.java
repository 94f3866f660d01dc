package org.wikiedits.detect;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.regex.Pattern;
import org.wikiedits.transform.RecentChange;

/**
 * Whether an edit undoes an earlier one. recentchange events carry no tags, so two signs: the comment's
 * wording (MediaWiki's undo and rollback summaries, and the usual abbreviations, in a few languages), or
 * the page's length returning to a length it had a few edits before. The lengths are kept for the
 * {@link #PAGES_REMEMBERED} most recently edited pages only.
 */
final class RevertSignal {

    static final int PAGES_REMEMBERED = 50_000;
    private static final int LENGTHS_PER_PAGE = 6;

    private static final Pattern WORDING = Pattern.compile(
            "(?iu)\\b(revert(ed|ing|s)?|rvv?|undo|undid|rollback|rolled back|restored revision"
                    + "|rückgängig|zurückgesetzt|annulation|révocation|revertid[oa]|deshech[oa]|annullat[oa]|ripristinat[oa])\\b");

    private final BoundedRecency<String, Deque<Integer>> lengths = new BoundedRecency<>(PAGES_REMEMBERED);

    boolean isRevert(RecentChange rc) {
        if (!"edit".equals(rc.type()) || rc.title() == null) {
            return false;
        }
        boolean worded = rc.comment() != null && WORDING.matcher(rc.comment()).find();
        return lengthReturns(rc) || worded;
    }

    int pagesHeld() {
        return lengths.size();
    }

    private boolean lengthReturns(RecentChange rc) {
        Integer before = rc.lengthOld();
        Integer after = rc.lengthNew();
        if (before == null || after == null) {
            return false;
        }
        Deque<Integer> seen = lengths.computeIfAbsent(rc.wiki() + ":" + rc.title(), page -> new ArrayDeque<>(LENGTHS_PER_PAGE));
        remember(seen, before);
        boolean returns = !after.equals(before) && seen.contains(after);
        remember(seen, after);
        return returns;
    }

    private static void remember(Deque<Integer> seen, Integer length) {
        if (!length.equals(seen.peekLast())) {
            if (seen.size() == LENGTHS_PER_PAGE) {
                seen.removeFirst();
            }
            seen.addLast(length);
        }
    }
}
