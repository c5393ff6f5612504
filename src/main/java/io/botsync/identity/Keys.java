package io.botsync.identity;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;
import java.util.List;
import java.util.Locale;

/**
 * The match keys of a user: the normalised email and the phone as E.164, and whether a key is blocked by the
 * configured list. crm_user already holds emails trimmed and lower-case; this keeps the key's rule in one place.
 */
final class Keys {

    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();
    /** libphonenumber's "no region": only numbers written with their country code parse. */
    private static final String NO_REGION = "ZZ";

    private final String region;
    private final List<String> blocked;

    Keys(IdentitySettings settings) {
        this.region = settings.defaultRegion().isEmpty() ? NO_REGION : settings.defaultRegion();
        this.blocked = settings.blocked().stream().map(entry -> entry.contains("@") ? entry : phoneOrSelf(entry)).toList();
    }

    static boolean knownRegion(String region) {
        return PHONES.getSupportedRegions().contains(region);
    }

    /** The email as it matches: trimmed and lower-case; null when blank or not an address. */
    static String email(String email) {
        if (email == null) {
            return null;
        }
        String key = email.strip().toLowerCase(Locale.ROOT);
        return key.indexOf('@') > 0 ? key : null;
    }

    /**
     * The phone as E.164, or null when absent or not a number: libphonenumber cannot parse it, or parses it into
     * something too short or too long to be a phone number anywhere (its parser is lenient: "12" reads as +712 in
     * Russia, and two people who typed 12 are not one). Such a number matches nothing.
     */
    String phone(String phone) {
        if (phone == null || phone.isBlank()) {
            return null;
        }
        try {
            Phonenumber.PhoneNumber number = PHONES.parse(phone, region);
            return PHONES.isPossibleNumber(number) ? PHONES.format(number, PhoneNumberUtil.PhoneNumberFormat.E164) : null;
        } catch (NumberParseException e) {
            return null;
        }
    }

    /** Whether the configured list blocks this email key or phone key. */
    boolean blocked(String key) {
        for (String entry : blocked) {
            if (entry.endsWith("@") ? key.startsWith(entry) : entry.startsWith("@") ? key.endsWith(entry) : key.equals(entry)) {
                return true;
            }
        }
        return false;
    }

    private String phoneOrSelf(String entry) {
        String key = phone(entry);
        return key == null ? entry : key;
    }
}
