package city.heze.peony.ops.metrics;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The metric names a PromQL expression reads: identifiers that are neither functions,
 * aggregations, keywords nor label names. Label matchers ({@code {...}}), ranges and subqueries
 * ({@code [...]}), label lists ({@code by (...)}, {@code on (...)}, ...), strings, numbers,
 * durations and Grafana variables ({@code $department}, {@code ${DS_PROMETHEUS}},
 * {@code $__rate_interval}) are skipped. Enough of PromQL's lexer for rule files and dashboards;
 * it does not validate the expression (promtool and Prometheus do).
 */
public final class PromqlMetricNames {
    private static final Set<String> KEYWORDS = Set.of(
            "and",
            "or",
            "unless",
            "bool",
            "offset",
            "by",
            "without",
            "on",
            "ignoring",
            "group_left",
            "group_right",
            // aggregation operators: may be followed by "by (...)" instead of "("
            "sum",
            "min",
            "max",
            "avg",
            "group",
            "stddev",
            "stdvar",
            "count",
            "count_values",
            "bottomk",
            "topk",
            "quantile",
            "limitk",
            "limit_ratio",
            "inf",
            "nan");
    private static final Set<String> LABEL_LISTS =
            Set.of("by", "without", "on", "ignoring", "group_left", "group_right");

    private PromqlMetricNames() {}

    public static Set<String> of(String expr) {
        Set<String> names = new LinkedHashSet<>();
        int n = expr.length();
        int i = 0;
        while (i < n) {
            char c = expr.charAt(i);
            if (c == '"' || c == '\'' || c == '`') {
                i = skipString(expr, i);
            } else if (c == '{') {
                i = skipBalanced(expr, i, '{', '}');
            } else if (c == '[') {
                i = skipBalanced(expr, i, '[', ']');
            } else if (c == '#') {
                while (i < n && expr.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '$') {
                i = skipVariable(expr, i);
            } else if (Character.isDigit(c) || (c == '.' && i + 1 < n && Character.isDigit(expr.charAt(i + 1)))) {
                // numbers and durations: 0.99, 1e3, 0x1f, 5m, 1h30m
                while (i < n
                        && (Character.isLetterOrDigit(expr.charAt(i))
                                || expr.charAt(i) == '.'
                                || expr.charAt(i) == '_')) {
                    i++;
                }
            } else if (isNameStart(c)) {
                int start = i;
                while (i < n && isNamePart(expr.charAt(i))) {
                    i++;
                }
                String word = expr.substring(start, i);
                int next = skipSpace(expr, i);
                String lower = word.toLowerCase(Locale.ROOT);
                if (LABEL_LISTS.contains(lower)) {
                    if (next < n && expr.charAt(next) == '(') {
                        i = skipBalanced(expr, next, '(', ')');
                    }
                } else if (next < n && expr.charAt(next) == '(') {
                    // a function call or an aggregation
                } else if (!KEYWORDS.contains(lower)) {
                    names.add(word);
                }
            } else {
                i++;
            }
        }
        return names;
    }

    private static boolean isNameStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
    }

    private static boolean isNamePart(char c) {
        return isNameStart(c) || (c >= '0' && c <= '9');
    }

    private static int skipSpace(String s, int i) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static int skipString(String s, int i) {
        char quote = s.charAt(i++);
        while (i < s.length()) {
            char c = s.charAt(i++);
            if (c == '\\' && quote != '`') {
                i++;
            } else if (c == quote) {
                return i;
            }
        }
        return i;
    }

    /** From an opening bracket to just after its closing one, strings inside included. */
    private static int skipBalanced(String s, int i, char open, char close) {
        int depth = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '"' || c == '\'' || c == '`') {
                i = skipString(s, i);
                continue;
            }
            if (c == open) {
                depth++;
            } else if (c == close && --depth == 0) {
                return i + 1;
            }
            i++;
        }
        return i;
    }

    private static int skipVariable(String s, int i) {
        i++;
        if (i < s.length() && s.charAt(i) == '{') {
            return skipBalanced(s, i, '{', '}');
        }
        while (i < s.length() && isNamePart(s.charAt(i))) {
            i++;
        }
        return i;
    }
}
