package io.botsync.identity;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Members into contacts: the connected groups of members sharing an email key or a phone key that is not blocked,
 * and which existing contact id each group keeps. Plain arrays, so a rebuild holds a million members in a few
 * tens of megabytes; the incremental resolver uses it for the few members a transaction touches.
 *
 * <p>Ids: a contact's anchor is its oldest member (earliest {@code joined_at}, then source and external id) among
 * those still live. A group keeps the smallest id among the contacts whose anchor it holds: when contacts merge the
 * oldest id survives (the others are merged into it), and when a contact splits, the part holding its anchor keeps
 * the id. A group holding no anchor is a new contact.
 */
final class Grouping {

    /** Key ids, dense from 0 per kind; -1: none. */
    private final int[] emailKey;
    private final int[] phoneKey;
    private final boolean[] emailBlocked;
    private final boolean[] phoneBlocked;
    private final int[] emailHolders;
    private final int[] phoneHolders;
    private final int[] parent;
    private int[] group;
    private int groups;

    /**
     * @param emailBlocked per email key id: blocked by the list or shared by too many users
     */
    Grouping(int[] emailKey, int[] phoneKey, boolean[] emailBlocked, boolean[] phoneBlocked) {
        this.emailKey = emailKey;
        this.phoneKey = phoneKey;
        this.emailBlocked = emailBlocked;
        this.phoneBlocked = phoneBlocked;
        this.emailHolders = holders(emailKey, emailBlocked.length);
        this.phoneHolders = holders(phoneKey, phoneBlocked.length);
        this.parent = new int[emailKey.length];
        for (int i = 0; i < parent.length; i++) {
            parent[i] = i;
        }
        join(emailKey, emailBlocked);
        join(phoneKey, phoneBlocked);
        number();
    }

    int members() {
        return parent.length;
    }

    int groups() {
        return groups;
    }

    /** The member's group, 0 to {@link #groups()} - 1, numbered in the order of each group's first member. */
    int groupOf(int member) {
        return group[member];
    }

    /**
     * What joined the member to its group: {@code email} when another member of it shares its (unblocked) email,
     * else {@code phone} when one shares its phone, else {@code none}.
     */
    String matchedOn(int member) {
        if (shared(emailKey, emailBlocked, emailHolders, member)) {
            return "email";
        }
        return shared(phoneKey, phoneBlocked, phoneHolders, member) ? "phone" : "none";
    }

    /**
     * The id each group keeps.
     *
     * @param oldContact per member: the contact it belonged to, 0 for none
     * @param anchor     per member: whether it is its old contact's anchor
     * @return per group: the contact id it keeps, 0 when it is a new contact
     */
    long[] keptIds(long[] oldContact, boolean[] anchor) {
        long[] kept = new long[groups];
        for (int i = 0; i < parent.length; i++) {
            if (anchor[i] && oldContact[i] != 0 && (kept[group[i]] == 0 || oldContact[i] < kept[group[i]])) {
                kept[group[i]] = oldContact[i];
            }
        }
        return kept;
    }

    /** The contacts that were merged: each anchor's old contact that its group did not keep, to the id it did keep. */
    Map<Long, Long> mergedInto(long[] oldContact, boolean[] anchor, long[] ids) {
        Map<Long, Long> merged = new HashMap<>();
        for (int i = 0; i < parent.length; i++) {
            if (anchor[i] && oldContact[i] != 0 && ids[group[i]] != oldContact[i]) {
                merged.put(oldContact[i], ids[group[i]]);
            }
        }
        return merged;
    }

    /** Whether another member holds the same unblocked key: every holder of an unblocked key is among the members. */
    private static boolean shared(int[] keys, boolean[] blocked, int[] holders, int member) {
        int key = keys[member];
        return key >= 0 && !blocked[key] && holders[key] > 1;
    }

    private static int[] holders(int[] keys, int keyCount) {
        int[] holders = new int[keyCount];
        for (int key : keys) {
            if (key >= 0) {
                holders[key]++;
            }
        }
        return holders;
    }

    private void join(int[] keys, boolean[] blocked) {
        int[] first = new int[blocked.length];
        Arrays.fill(first, -1);
        for (int i = 0; i < keys.length; i++) {
            int key = keys[i];
            if (key >= 0 && !blocked[key]) {
                if (first[key] < 0) {
                    first[key] = i;
                } else {
                    union(first[key], i);
                }
            }
        }
    }

    private void number() {
        group = new int[parent.length];
        int[] numberOfRoot = new int[parent.length];
        Arrays.fill(numberOfRoot, -1);
        for (int i = 0; i < parent.length; i++) {
            int root = find(i);
            if (numberOfRoot[root] < 0) {
                numberOfRoot[root] = groups++;
            }
            group[i] = numberOfRoot[root];
        }
    }

    private int find(int member) {
        int root = member;
        while (parent[root] != root) {
            root = parent[root];
        }
        while (parent[member] != root) { // path compression
            int next = parent[member];
            parent[member] = root;
            member = next;
        }
        return root;
    }

    private void union(int a, int b) {
        int rootA = find(a);
        int rootB = find(b);
        if (rootA != rootB) {
            parent[Math.max(rootA, rootB)] = Math.min(rootA, rootB);
        }
    }
}
