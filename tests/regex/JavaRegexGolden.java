// Writes what java.util.regex does for each (pattern, text) case: the golden file that
// tests/regex_java.rs compares Sluice's matcher with. Run by tests/regex/generate.sh.
//
// Input lines: pattern TAB text, with tab, newline, return, backslash and non-ASCII characters escaped (backslash-u and four hex digits). Output lines: the same two
// fields, then either "invalid" or "find=<groups>;matches=<true|false>;replace=<text>", where
// <groups> is "-" (no match) or each group's start,end ("null" when it took no part) joined by
// "|", and replace is text.replaceAll(pattern, "<>").
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

public class JavaRegexGolden {
    static String unescape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 == s.length()) { b.append(c); continue; }
            char n = s.charAt(++i);
            switch (n) {
                case 't': b.append('\t'); break;
                case 'n': b.append('\n'); break;
                case 'r': b.append('\r'); break;
                case '\\': b.append('\\'); break;
                case 'u': b.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16)); i += 4; break;
                default: b.append('\\').append(n);
            }
        }
        return b.toString();
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            switch (c) {
                case '\t': b.append("\\t"); break;
                case '\n': b.append("\\n"); break;
                case '\r': b.append("\\r"); break;
                case '\\': b.append("\\\\"); break;
                default:
                    if (c < 0x20 || c > 0x7e) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
            }
        }
        return b.toString();
    }

    public static void main(String[] args) throws Exception {
        StringBuilder out = new StringBuilder();
        for (String line : Files.readAllLines(Path.of(args[0]))) {
            if (line.isEmpty() || line.startsWith("#")) continue;
            int tab = line.indexOf('\t');
            String pattern = unescape(line.substring(0, tab));
            String text = unescape(line.substring(tab + 1));
            String result;
            try {
                Pattern p = Pattern.compile(pattern);
                Matcher m = p.matcher(text);
                StringBuilder groups = new StringBuilder();
                if (m.find()) {
                    for (int g = 0; g <= m.groupCount(); g++) {
                        if (g > 0) groups.append('|');
                        groups.append(m.start(g) < 0 ? "null" : m.start(g) + "," + m.end(g));
                    }
                } else {
                    groups.append('-');
                }
                boolean matches = p.matcher(text).matches();
                String replaced = p.matcher(text).replaceAll("<>");
                result = "find=" + groups + ";matches=" + matches + ";replace=" + escape(replaced);
            } catch (PatternSyntaxException e) {
                result = "invalid";
            }
            out.append(escape(pattern)).append('\t').append(escape(text)).append('\t').append(result).append('\n');
        }
        System.out.print(out);
    }
}
