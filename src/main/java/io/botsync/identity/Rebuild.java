package io.botsync.identity;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.Objects;

/**
 * Every live user resolved again from crm_user alone: their keys, their groups, their contacts' fields. Existing ids
 * are kept by the same rules as the incremental resolver's ({@link Grouping}), so a rebuild of contacts that are in
 * step writes nothing. Runs in the caller's transaction, which holds the outbox lock: no users change meanwhile, so
 * two passes over them in the same order see the same users.
 *
 * <p>Memory stays a few dozen bytes a user, in arrays: the first pass keeps each user's keys as 128-bit digests (a key
 * is the same key when its digest is; two different emails share an MD5 digest with a chance of about 2^-128), its old
 * contact, when it joined it, and whether its stored row already says what it will say; the second pass writes the
 * rows that change, and the contacts are computed from the members streamed in contact order.
 */
record Rebuild(Connection connection, Keys keys, IdentitySettings settings, Survivorship survivorship,
               OffsetDateTime now) {

    private static final String LIVE_USERS = """
            SELECT u.source, u.external_id, u.email, u.phone, m.contact_id, m.joined_at, m.matched_on, m.email_key, m.phone_key
            FROM crm_user u LEFT JOIN contact_member m ON m.source = u.source AND m.external_id = u.external_id
            WHERE NOT u.deleted
            ORDER BY u.source, u.external_id""";

    private static final String[] MATCHED_ON = {"none", "email", "phone"};

    Contacts.RebuildResult run() throws SQLException {
        Users users = firstPass();
        long gone;
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM contact_member WHERE NOT EXISTS (SELECT 1 "
                + "FROM crm_user u WHERE u.source = contact_member.source AND u.external_id = contact_member.external_id "
                + "AND NOT u.deleted)")) {
            gone = delete.executeUpdate();
        }
        int[] emailKey = users.email.ids(users.count);
        int[] phoneKey = users.phone.ids(users.count);
        Grouping grouping = new Grouping(emailKey, phoneKey, users.email.blocked(settings.maxGroupSize()),
                users.phone.blocked(settings.maxGroupSize()));
        boolean[] anchor = anchors(users);
        long[] ids = Resolution.contactIds(connection, grouping, users.oldContact, anchor);
        long written = secondPass(users, grouping, ids);
        ContactRows rows = new ContactRows(connection, survivorship, now);
        rows.merged(grouping.mergedInto(users.oldContact, anchor, ids)); // before the survivors' events, as in Incremental
        rows.retireEmpty(null);
        rows.refreshAll();
        return new Contacts.RebuildResult(users.count, grouping.groups(), gone + written, rows.written());
    }

    /** The live users, in (source, external id) order, as arrays. */
    private static final class Users {
        int count;
        long[] oldContact = new long[1024];
        /** Microseconds since the epoch; meaningful where oldContact is set. */
        long[] joinedAt = new long[1024];
        /** The stored matched_on as an index into MATCHED_ON; -1 without a row. */
        byte[] oldMatchedOn = new byte[1024];
        /** Whether the stored row's keys are the user's keys now. */
        final BitSet sameKeys = new BitSet();
        final Digests email = new Digests();
        final Digests phone = new Digests();

        void add(long contact, long joined, byte matchedOn, boolean keysUnchanged, byte[] emailDigest, byte[] phoneDigest) {
            if (count == oldContact.length) {
                oldContact = Arrays.copyOf(oldContact, count * 2);
                joinedAt = Arrays.copyOf(joinedAt, count * 2);
                oldMatchedOn = Arrays.copyOf(oldMatchedOn, count * 2);
            }
            oldContact[count] = contact;
            joinedAt[count] = joined;
            oldMatchedOn[count] = matchedOn;
            sameKeys.set(count, keysUnchanged);
            email.add(count, emailDigest);
            phone.add(count, phoneDigest);
            count++;
        }
    }

    private Users firstPass() throws SQLException {
        Users users = new Users();
        MessageDigest md5 = md5();
        try (PreparedStatement select = connection.prepareStatement(LIVE_USERS)) {
            select.setFetchSize(1000);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    String email = Keys.email(rows.getString(3));
                    String phone = keys.phone(rows.getString(4));
                    long contact = rows.getLong(5);
                    OffsetDateTime joined = rows.getObject(6, OffsetDateTime.class);
                    String matchedOn = rows.getString(7);
                    users.add(contact, joined == null ? Long.MAX_VALUE : micros(joined),
                            (byte) (matchedOn == null ? -1 : Arrays.asList(MATCHED_ON).indexOf(matchedOn)),
                            contact != 0 && Objects.equals(email, rows.getString(8)) && Objects.equals(phone, rows.getString(9)),
                            digest(md5, email), digest(md5, phone));
                }
            }
        }
        return users;
    }

    /** Each old contact's anchor: its member that joined first (then by source and external id: the users' order). */
    private static boolean[] anchors(Users users) {
        boolean[] anchor = new boolean[users.count];
        Integer[] stored = java.util.stream.IntStream.range(0, users.count).filter(i -> users.oldContact[i] != 0).boxed()
                .toArray(Integer[]::new);
        Arrays.sort(stored, Comparator.<Integer>comparingLong(i -> users.oldContact[i]).thenComparingLong(i -> users.joinedAt[i])
                .thenComparingInt(i -> i));
        for (int k = 0; k < stored.length; k++) {
            if (k == 0 || users.oldContact[stored[k]] != users.oldContact[stored[k - 1]]) {
                anchor[stored[k]] = true;
            }
        }
        return anchor;
    }

    /** Writes the member rows that change, reading the users again in the same order for their keys. */
    private long secondPass(Users users, Grouping grouping, long[] ids) throws SQLException {
        try (MemberRows rows = new MemberRows(connection);
             PreparedStatement select = connection.prepareStatement(
                     "SELECT source, external_id, email, phone FROM crm_user WHERE NOT deleted ORDER BY source, external_id")) {
            select.setFetchSize(1000);
            try (ResultSet result = select.executeQuery()) {
                for (int i = 0; result.next(); i++) {
                    if (i >= users.count) {
                        throw new IllegalStateException("users changed while the contacts were rebuilt; run it again");
                    }
                    long id = ids[grouping.groupOf(i)];
                    String matchedOn = grouping.matchedOn(i);
                    boolean stays = users.oldContact[i] == id;
                    if (stays && users.sameKeys.get(i) && users.oldMatchedOn[i] >= 0
                            && matchedOn.equals(MATCHED_ON[users.oldMatchedOn[i]])) {
                        continue;
                    }
                    rows.write(users.oldContact[i] != 0, result.getString(1), result.getString(2), id, matchedOn,
                            stays ? OffsetDateTime.ofInstant(Instant.EPOCH.plus(users.joinedAt[i], ChronoUnit.MICROS), ZoneOffset.UTC)
                                    : now, Keys.email(result.getString(3)), keys.phone(result.getString(4)));
                }
            }
            return rows.written();
        }
    }

    /**
     * Keys as 128-bit digests, and their ids: equal digests get one id, in digest order. A key held by more users than
     * the limit is blocked; the configured list is applied before (a blocked key gets no digest).
     */
    private static final class Digests {
        private long[] high = new long[1024];
        private long[] low = new long[1024];
        private final BitSet present = new BitSet();
        private int[] holders;

        void add(int user, byte[] digest) {
            if (user == high.length) {
                high = Arrays.copyOf(high, user * 2);
                low = Arrays.copyOf(low, user * 2);
            }
            if (digest != null) {
                ByteBuffer buffer = ByteBuffer.wrap(digest);
                high[user] = buffer.getLong();
                low[user] = buffer.getLong();
                present.set(user);
            }
        }

        int[] ids(int count) {
            int[] result = new int[count];
            Arrays.fill(result, -1);
            Integer[] order = present.stream().boxed().toArray(Integer[]::new);
            Arrays.sort(order, Comparator.<Integer>comparingLong(i -> high[i]).thenComparingLong(i -> low[i]));
            int[] counts = new int[order.length];
            int id = -1;
            for (int k = 0; k < order.length; k++) {
                int user = order[k];
                if (k == 0 || high[user] != high[order[k - 1]] || low[user] != low[order[k - 1]]) {
                    id++;
                }
                result[user] = id;
                counts[id]++;
            }
            holders = Arrays.copyOf(counts, id + 1);
            high = null; // the digests are done with: ids say the same
            low = null;
            return result;
        }

        /** Per key id: held by more live users than the limit (every live user is here, so these are all its holders). */
        boolean[] blocked(int maxGroupSize) {
            boolean[] blocked = new boolean[holders.length];
            for (int key = 0; key < holders.length; key++) {
                blocked[key] = holders[key] > maxGroupSize;
            }
            return blocked;
        }
    }

    /** The key's digest, or null for no key or a key the configured list blocks. */
    private byte[] digest(MessageDigest md5, String key) {
        return key == null || keys.blocked(key) ? null : md5.digest(key.getBytes(StandardCharsets.UTF_8));
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has MD5", e);
        }
    }

    private static long micros(OffsetDateTime time) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, time.toInstant());
    }
}
