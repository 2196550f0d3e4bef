package city.heze.peony.producers.simulate;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;

/**
 * Generates text that matches a regular expression, for the catalog fields a {@code REGEX} rule
 * checks (certificate numbers such as {@code [JL]\d{6}-\d{4}-\d{6}}). It understands the part of
 * java.util.regex that such field patterns use: literals, escapes ({@code \d}, {@code \w}, {@code
 * \s}, escaped punctuation), character classes with ranges, {@code .}, groups with alternation
 * ({@code (…|…)}, {@code (?:…)}), and the quantifiers {@code ? * + {n} {n,} {n,m}} (unbounded ones
 * stop at three more than the minimum). Anything else (negated classes, look-arounds, back
 * references) is refused when the sampler is built, naming the pattern; and every sampler checks a
 * few of its own samples against the compiled pattern then, so a value it generates always matches.
 */
final class PatternSampler {

    private interface Node {
        void append(Random random, StringBuilder out);
    }

    private final String pattern;
    private final Node root;
    private int at;

    private PatternSampler(String pattern) {
        this.pattern = pattern;
        this.root = alternation();
        if (at != pattern.length()) {
            throw unsupported("unbalanced ')' at index " + at);
        }
    }

    /**
     * @throws IllegalArgumentException naming the pattern if it uses a construct the sampler does not
     *     know, or if a sample does not match it
     */
    static PatternSampler of(String pattern) {
        PatternSampler sampler = new PatternSampler(pattern);
        Pattern compiled = Pattern.compile(pattern);
        Random random = new Random(pattern.hashCode());
        for (int i = 0; i < 16; i++) {
            String sample = sampler.sample(random);
            if (!compiled.matcher(sample).matches()) {
                throw new IllegalArgumentException("cannot generate values for pattern " + pattern + ": the sample '"
                        + sample + "' does not match it");
            }
        }
        return sampler;
    }

    String sample(Random random) {
        StringBuilder out = new StringBuilder(16);
        root.append(random, out);
        return out.toString();
    }

    private Node alternation() {
        List<Node> options = new ArrayList<>();
        options.add(sequence());
        while (at < pattern.length() && pattern.charAt(at) == '|') {
            at++;
            options.add(sequence());
        }
        if (options.size() == 1) {
            return options.get(0);
        }
        Node[] choices = options.toArray(Node[]::new);
        return (random, out) -> choices[random.nextInt(choices.length)].append(random, out);
    }

    private Node sequence() {
        List<Node> parts = new ArrayList<>();
        while (at < pattern.length()) {
            char c = pattern.charAt(at);
            if (c == '|' || c == ')') {
                break;
            }
            Node atom = atom();
            if (atom != null) {
                parts.add(quantified(atom));
            }
        }
        Node[] all = parts.toArray(Node[]::new);
        return (random, out) -> {
            for (Node part : all) {
                part.append(random, out);
            }
        };
    }

    /** One atom, or null for an anchor that generates nothing. */
    private Node atom() {
        char c = pattern.charAt(at++);
        switch (c) {
            case '^':
            case '$':
                return null;
            case '(':
                if (pattern.startsWith("?:", at)) {
                    at += 2;
                } else if (at < pattern.length() && pattern.charAt(at) == '?') {
                    throw unsupported("the group construct at index " + (at - 1));
                }
                Node inner = alternation();
                if (at >= pattern.length() || pattern.charAt(at) != ')') {
                    throw unsupported("an unclosed group");
                }
                at++;
                return inner;
            case '[':
                return characterClass();
            case '.':
                return chars("abcdefghijklmnopqrstuvwxyz0123456789");
            case '\\':
                return escape();
            case '*':
            case '+':
            case '?':
            case '{':
                throw unsupported("a quantifier with nothing before it at index " + (at - 1));
            default:
                return literal(c);
        }
    }

    private Node escape() {
        if (at >= pattern.length()) {
            throw unsupported("a trailing backslash");
        }
        char c = pattern.charAt(at++);
        return switch (c) {
            case 'd' -> chars("0123456789");
            case 'w' -> chars("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");
            case 's' -> literal(' ');
            default -> literal(escapedCharacter(c));
        };
    }

    private Node characterClass() {
        if (at < pattern.length() && pattern.charAt(at) == '^') {
            throw unsupported("a negated character class");
        }
        StringBuilder members = new StringBuilder();
        boolean first = true;
        while (true) {
            if (at >= pattern.length()) {
                throw unsupported("an unclosed character class");
            }
            char c = pattern.charAt(at++);
            if (c == ']' && !first) {
                break;
            }
            first = false;
            if (c == '[' || c == '&' && at < pattern.length() && pattern.charAt(at) == '&') {
                throw unsupported("nested or intersected character classes");
            }
            if (c == '\\') {
                char e = pattern.charAt(at++);
                switch (e) {
                    case 'd' -> {
                        members.append("0123456789");
                        continue;
                    }
                    case 'w' -> {
                        members.append("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");
                        continue;
                    }
                    case 's' -> {
                        members.append(' ');
                        continue;
                    }
                    default -> c = escapedCharacter(e);
                }
            }
            if (at + 1 < pattern.length() && pattern.charAt(at) == '-' && pattern.charAt(at + 1) != ']') {
                at++;
                char to = pattern.charAt(at++);
                if (to == '\\') {
                    to = escapedCharacter(pattern.charAt(at++));
                }
                if (to < c) {
                    throw unsupported("the range " + c + "-" + to);
                }
                for (char x = c; x <= to; x++) {
                    members.append(x);
                }
            } else {
                members.append(c);
            }
        }
        return chars(members.toString());
    }

    /** The one character an escape such as {@code \u4e00}, {@code \t} or {@code \.} stands for; {@code at} is past its letter. */
    private char escapedCharacter(char e) {
        switch (e) {
            case 'u':
                if (at + 4 > pattern.length()) {
                    throw unsupported("a short \\u escape");
                }
                try {
                    char c = (char) Integer.parseInt(pattern.substring(at, at + 4), 16);
                    at += 4;
                    return c;
                } catch (NumberFormatException ex) {
                    throw unsupported("the escape \\u" + pattern.substring(at, at + 4));
                }
            case 't':
                return '\t';
            case 'n':
                return '\n';
            default:
                if (Character.isLetterOrDigit(e)) {
                    throw unsupported("the escape \\" + e);
                }
                return e;
        }
    }

    private Node quantified(Node atom) {
        if (at >= pattern.length()) {
            return atom;
        }
        char c = pattern.charAt(at);
        int min;
        int max;
        switch (c) {
            case '?' -> {
                min = 0;
                max = 1;
                at++;
            }
            case '*' -> {
                min = 0;
                max = 3;
                at++;
            }
            case '+' -> {
                min = 1;
                max = 4;
                at++;
            }
            case '{' -> {
                int close = pattern.indexOf('}', at);
                if (close < 0) {
                    throw unsupported("an unclosed {");
                }
                String body = pattern.substring(at + 1, close);
                at = close + 1;
                try {
                    int comma = body.indexOf(',');
                    if (comma < 0) {
                        min = max = Integer.parseInt(body.trim());
                    } else {
                        min = Integer.parseInt(body.substring(0, comma).trim());
                        String upper = body.substring(comma + 1).trim();
                        max = upper.isEmpty() ? min + 3 : Integer.parseInt(upper);
                    }
                } catch (NumberFormatException e) {
                    throw unsupported("the quantifier {" + body + "}");
                }
                if (max < min) {
                    throw unsupported("the quantifier {" + body + "}");
                }
            }
            default -> {
                return atom;
            }
        }
        if (at < pattern.length() && (pattern.charAt(at) == '?' || pattern.charAt(at) == '+')) {
            at++; // lazy or possessive: the same strings match
        }
        int from = min;
        int span = max - min + 1;
        return (random, out) -> {
            int times = from + random.nextInt(span);
            for (int i = 0; i < times; i++) {
                atom.append(random, out);
            }
        };
    }

    private static Node literal(char c) {
        return (random, out) -> out.append(c);
    }

    private static Node chars(String members) {
        return (random, out) -> out.append(members.charAt(random.nextInt(members.length())));
    }

    private IllegalArgumentException unsupported(String what) {
        return new IllegalArgumentException("cannot generate values for pattern " + pattern + ": " + what
                + " is beyond what the simulator's pattern sampler supports");
    }
}
