package io.respire.server.config;

import java.util.function.Function;

/**
 * Redis's proc-title-template (expandProcTitleTemplate): {@code {name}} stands for a variable,
 * {@code {{} for a brace; the result is trimmed of spaces. The variables are {title},
 * {listen-addr}, {server-mode}, {port}, {tls-port}, {unixsocket} and {config-file}.
 */
public final class ProcTitleTemplate {
    private ProcTitleTemplate() {
    }

    /**
     * The template with each variable replaced by {@code variable}'s value for its name (null for a
     * name that is not a variable), trimmed; null if the template is malformed or names an unknown
     * variable.
     */
    public static String expand(String template, Function<String, String> variable) {
        StringBuilder expanded = new StringBuilder();
        int p = 0;
        while (p < template.length()) {
            int open = template.indexOf('{', p);
            if (open < 0) {
                expanded.append(template, p, template.length());
                break;
            }
            expanded.append(template, p, open);
            if (open + 1 >= template.length()) {
                return null;
            }
            if (template.charAt(open + 1) == '{') {
                expanded.append('{');
                p = open + 2;
                continue;
            }
            int close = template.indexOf('}', open + 1);
            String value = close < 0 ? null : variable.apply(template.substring(open + 1, close));
            if (value == null) {
                return null;
            }
            expanded.append(value);
            p = close + 1;
        }
        return trimSpaces(expanded);
    }

    /** Redis trims spaces only (sdstrim with " "), not tabs or newlines. */
    private static String trimSpaces(CharSequence s) {
        int start = 0;
        int end = s.length();
        while (start < end && s.charAt(start) == ' ') {
            start++;
        }
        while (end > start && s.charAt(end - 1) == ' ') {
            end--;
        }
        return s.subSequence(start, end).toString();
    }

    /** Whether {@code name} is one of the template's variables. */
    public static boolean isVariable(String name) {
        return switch (name) {
            case "title", "listen-addr", "server-mode", "port", "tls-port", "unixsocket", "config-file" -> true;
            default -> false;
        };
    }
}
