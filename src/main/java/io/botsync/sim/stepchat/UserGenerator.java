package io.botsync.sim.stepchat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Deterministic people: the same seed, id and version always give the same names, email, phone and details,
 * in StepChat's own shapes (phone as plain digits or spaced with +, language codes, location strings).
 */
final class UserGenerator {

    private static final String[][] FIRST = {
        {"Иван", "ivan"}, {"Мария", "maria"}, {"Алексей", "alexey"}, {"Ольга", "olga"}, {"Дмитрий", "dmitry"},
        {"Анна", "anna"}, {"John", "john"}, {"Emma", "emma"}, {"Lukas", "lukas"}, {"Sofia", "sofia"},
        {"Пётр", "petr"}, {"Екатерина", "ekaterina"}, {"Noah", "noah"}, {"Lea", "lea"}};
    private static final String[][] LAST = {
        {"Иванов", "ivanov"}, {"Смирнова", "smirnova"}, {"Кузнецов", "kuznetsov"}, {"Попова", "popova"},
        {"Smith", "smith"}, {"Müller", "mueller"}, {"García", "garcia"}, {"Соколов", "sokolov"},
        {"Brown", "brown"}, {"Лебедева", "lebedeva"}};
    private static final String[] DOMAINS = {"example.ru", "example.com", "mail.example.org", "example.de"};
    private static final String[][] PLACES = {
        {"Moscow, Russia", "RU", "ru", "Europe/Moscow"}, {"Saint Petersburg, Russia", "RU", "ru", "Europe/Moscow"},
        {"Berlin, Germany", "DE", "de", "Europe/Berlin"}, {"London, United Kingdom", "GB", "en", "Europe/London"},
        {"Almaty, Kazakhstan", "KZ", "ru", "Asia/Almaty"}, {"New York, United States", "US", "en", "America/New_York"}};
    private static final String[] BROWSERS = {"Chrome", "Firefox", "Safari", "Yandex"};
    private static final String[] SYSTEMS = {"Windows 10", "Mac OS X", "Android", "iOS", "Linux"};
    private static final String HEX = "0123456789abcdef";

    private final long seed;

    UserGenerator(long seed) {
        this.seed = seed;
    }

    /** The type a generated user is born with: mostly contacts, a few agents and admins. */
    String type(long id) {
        int roll = random(id, -1).nextInt(100);
        return roll < 40 ? "visitor" : roll < 72 ? "lead" : roll < 94 ? "user" : roll < 99 ? "agent" : "admin";
    }

    /** A contact type, for users who sign up after the start. */
    String contactType(long id) {
        int roll = random(id, -2).nextInt(100);
        return roll < 45 ? "visitor" : roll < 80 ? "lead" : "user";
    }

    /** All of a user's generated fields for the given version. */
    Written fields(SimUser user) {
        SplittableRandom r = random(user.id(), user.version());
        String[] first = FIRST[r.nextInt(FIRST.length)];
        String[] last = LAST[r.nextInt(LAST.length)];
        boolean staff = user.type().equals("agent") || user.type().equals("admin");
        String email = user.type().equals("visitor") && r.nextInt(10) < 4 ? null
                : first[1] + "." + last[1] + "." + user.id() + (user.version() == 0 ? "" : ".v" + user.version())
                + "@" + DOMAINS[r.nextInt(DOMAINS.length)];
        Map<String, String[]> details = new LinkedHashMap<>();
        String[] place = PLACES[r.nextInt(PLACES.length)];
        if (r.nextInt(10) < 7) {
            details.put("phone", new String[] {phone(r, place[1]), "Phone"});
        }
        if (r.nextInt(10) < 8) {
            details.put("language", new String[] {place[2], "Language"});
        }
        details.put("location", new String[] {place[0], "Location"});
        details.put("country_code", new String[] {place[3], "Country code"});
        details.put("browser", new String[] {BROWSERS[r.nextInt(BROWSERS.length)], "Browser"});
        details.put("os", new String[] {SYSTEMS[r.nextInt(SYSTEMS.length)], "OS"});
        SplittableRandom secret = random(user.id(), -3);
        String password = user.type().equals("visitor") || user.type().equals("lead") ? ""
                : "$2y$10$" + hex(secret, 53);
        return new Written(first[0], last[0], email, "https://stepchat.io/user.svg", password,
                staff ? String.valueOf(1 + r.nextInt(3)) : null, hex(secret, 40), details, null);
    }

    private static String phone(SplittableRandom r, String country) {
        String digits = (country.equals("RU") || country.equals("KZ") ? "79" : "49")
                + String.format("%09d", r.nextInt(1_000_000_000));
        if (r.nextBoolean()) {
            return digits; // the reference's own example: 79191231212
        }
        return "+" + digits.substring(0, 1) + " " + digits.substring(1, 4) + " " + digits.substring(4, 7) + "-"
                + digits.substring(7, 9) + "-" + digits.substring(9);
    }

    private static String hex(SplittableRandom r, int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(HEX.charAt(r.nextInt(16)));
        }
        return text.toString();
    }

    private SplittableRandom random(long id, int salt) {
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + id * 0xC2B2AE3D27D4EB4FL + salt * 0x165667B19E3779F9L);
    }
}
