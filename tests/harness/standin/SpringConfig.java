import java.io.BufferedReader;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The settings as Spring Boot resolves them for integrasjonspunkt, strongest first: --key=value arguments,
 * -Dkey=value, the environment (relaxed names: DIFI_DATASOURCE_URL), the files a profile file imports
 * (spring.config.import), config/application-PROFILE.properties in the jar, config/application.properties in
 * the jar. ${key:default} placeholders resolve against all of them; one that cannot resolve is Spring's error.
 */
final class SpringConfig {
    static final String CONFIG_DIR = "/BOOT-INF/classes/config/";

    /** A configuration the application cannot start with; the message is what Spring would print. */
    static final class Failure extends Exception {
        Failure(String message) {
            super(message);
        }
    }

    private final Map<String, String> commandLine;
    private final Map<String, String> environment;
    /** Weakest first: application.properties, its imports, then each profile's file and its imports. */
    private final List<Map<String, String>> files = new ArrayList<Map<String, String>>();
    private final List<String> loaded = new ArrayList<String>();
    private final File workingDir;
    private final List<String> profiles = new ArrayList<String>();

    SpringConfig(Map<String, String> commandLine, Map<String, String> environment, File workingDir)
            throws Failure {
        this.commandLine = commandLine;
        this.environment = environment;
        this.workingDir = workingDir;
        addResource("application.properties", false);
        String active = raw("spring.profiles.active");
        if (active != null) {
            for (String profile : active.split(",")) {
                if (!profile.trim().isEmpty()) {
                    profiles.add(profile.trim());
                    addResource("application-" + profile.trim() + ".properties", true);
                }
            }
        }
    }

    List<String> profiles() {
        return profiles;
    }

    /** The sources read, weakest first, for the start-up log. */
    List<String> loaded() {
        return loaded;
    }

    private void addResource(String name, boolean optional) throws Failure {
        InputStream in = SpringConfig.class.getResourceAsStream(CONFIG_DIR + name);
        if (in == null) {
            if (!optional) {
                throw new Failure("stand-in jar without " + CONFIG_DIR + name);
            }
            return;
        }
        Map<String, String> values = readProperties(in, "classpath:config/" + name);
        files.add(values);
        loaded.add("classpath:config/" + name);
        String imports = values.get("spring.config.import");
        if (imports != null) {
            for (String location : imports.split(",")) {
                addImport(location.trim());
            }
        }
    }

    private void addImport(String location) throws Failure {
        String rest = location;
        boolean optional = rest.startsWith("optional:");
        if (optional) {
            rest = rest.substring("optional:".length());
        }
        if (!rest.startsWith("file:")) {
            throw new Failure("stand-in: only file: imports are supported, not '" + location + "'");
        }
        File file = new File(rest.substring("file:".length()));
        if (!file.isAbsolute()) {
            file = new File(workingDir, file.getPath());
        }
        if (!file.isFile()) {
            if (optional) {
                return;
            }
            throw new Failure("Config data resource 'file [" + file + "]' via location '" + location
                    + "' does not exist");
        }
        String name = file.getName().toLowerCase();
        Map<String, String> values;
        try {
            InputStream in = new FileInputStream(file);
            if (name.endsWith(".yml") || name.endsWith(".yaml")) {
                values = readYaml(in, file.toString());
            } else {
                values = readProperties(in, file.toString());
            }
        } catch (IOException e) {
            throw new Failure("Failed to load property source from '" + location + "': " + e);
        }
        files.add(values);
        loaded.add(location);
    }

    /** java.util.Properties reads with Java's rules (comments end at the line's end, escapes, continuations). */
    private static Map<String, String> readProperties(InputStream in, String where) throws Failure {
        Properties properties = new Properties();
        try {
            try {
                properties.load(new InputStreamReader(in, StandardCharsets.ISO_8859_1));
            } finally {
                in.close();
            }
        } catch (IOException e) {
            throw new Failure("Failed to load property source from '" + where + "': " + e);
        }
        Map<String, String> values = new LinkedHashMap<String, String>();
        for (String key : properties.stringPropertyNames()) {
            values.put(key, properties.getProperty(key));
        }
        return values;
    }

    /** Nested maps of scalars flattened to dotted keys; the stand-in reads no lists or multi-line values. */
    private static Map<String, String> readYaml(InputStream in, String where) throws IOException, Failure {
        Map<String, String> values = new LinkedHashMap<String, String>();
        List<Integer> indents = new ArrayList<Integer>();
        List<String> keys = new ArrayList<String>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        try {
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                String content = stripYamlComment(line);
                if (content.trim().isEmpty() || content.trim().equals("---")) {
                    continue;
                }
                int indent = 0;
                while (indent < content.length() && content.charAt(indent) == ' ') {
                    indent++;
                }
                String text = content.trim();
                int colon = text.indexOf(':');
                if (text.startsWith("-") || colon <= 0) {
                    throw new Failure("stand-in: cannot read line " + number + " of " + where + ": " + line);
                }
                while (!indents.isEmpty() && indents.get(indents.size() - 1) >= indent) {
                    indents.remove(indents.size() - 1);
                    keys.remove(keys.size() - 1);
                }
                String key = unquote(text.substring(0, colon).trim());
                String value = text.substring(colon + 1).trim();
                StringBuilder full = new StringBuilder();
                for (String parent : keys) {
                    full.append(parent).append('.');
                }
                full.append(key);
                if (value.isEmpty()) {
                    indents.add(indent);
                    keys.add(key);
                } else {
                    values.put(full.toString(), unquote(value));
                }
            }
        } finally {
            reader.close();
        }
        return values;
    }

    private static String stripYamlComment(String line) {
        boolean single = false;
        boolean dbl = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\'' && !dbl) {
                single = !single;
            } else if (c == '"' && !single) {
                dbl = !dbl;
            } else if (c == '#' && !single && !dbl && (i == 0 || line.charAt(i - 1) == ' ')) {
                return line.substring(0, i);
            }
        }
        return line;
    }

    private static String unquote(String text) {
        if (text.length() >= 2 && ((text.startsWith("\"") && text.endsWith("\""))
                || (text.startsWith("'") && text.endsWith("'")))) {
            return text.substring(1, text.length() - 1);
        }
        return text;
    }

    /** The value as written in the strongest source that has the key, placeholders unresolved; null if none. */
    String raw(String key) {
        if (commandLine.containsKey(key)) {
            return commandLine.get(key);
        }
        String value = System.getProperty(key);
        if (value != null) {
            return value;
        }
        value = fromEnvironment(key);
        if (value != null) {
            return value;
        }
        for (int i = files.size() - 1; i >= 0; i--) {
            if (files.get(i).containsKey(key)) {
                return files.get(i).get(key);
            }
        }
        return null;
    }

    /** Spring's SystemEnvironmentPropertySource: the name as is, dots to underscores, upper case, no dashes. */
    private String fromEnvironment(String key) {
        String underscored = key.replace('.', '_');
        String[] names = {key, underscored, underscored.toUpperCase(), underscored.replace("-", "").toUpperCase()};
        for (String name : names) {
            if (environment.containsKey(name)) {
                return environment.get(name);
            }
        }
        return null;
    }

    /** The resolved value, or null when no source has the key. */
    String get(String key) throws Failure {
        String value = raw(key);
        if (value == null) {
            return null;
        }
        Set<String> visiting = new HashSet<String>();
        visiting.add(key);
        return resolve(value, visiting);
    }

    String get(String key, String fallback) throws Failure {
        String value = get(key);
        return value == null ? fallback : value;
    }

    /** A required setting: without any value it is Spring's error for the placeholder that names it. */
    String require(String key) throws Failure {
        String value = get(key);
        if (value == null) {
            throw new Failure("Could not resolve placeholder '" + key + "' in value \"${" + key + "}\"");
        }
        return value;
    }

    boolean flag(String key, boolean fallback) throws Failure {
        String value = get(key);
        if (value == null) {
            return fallback;
        }
        String text = value.trim().toLowerCase();
        if (text.equals("true") || text.equals("on") || text.equals("yes") || text.equals("1")) {
            return true;
        }
        if (text.equals("false") || text.equals("off") || text.equals("no") || text.equals("0")) {
            return false;
        }
        throw bindFailure(key, value, "java.lang.Boolean");
    }

    int integer(String key, int fallback) throws Failure {
        String value = get(key);
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw bindFailure(key, value, "java.lang.Integer");
        }
    }

    private static Failure bindFailure(String key, String value, String type) {
        return new Failure("Failed to bind properties under '" + key + "' to " + type + ": Property: " + key
                + " Value: \"" + value + "\" Reason: failed to convert java.lang.String to " + type);
    }

    /** ${key} and ${key:default}, nested; the default is resolved only when it is used. */
    private String resolve(String text, Set<String> visiting) throws Failure {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (true) {
            int start = text.indexOf("${", i);
            if (start < 0) {
                out.append(text.substring(i));
                return out.toString();
            }
            int end = closing(text, start + 2);
            if (end < 0) {
                out.append(text.substring(i));
                return out.toString();
            }
            out.append(text, i, start);
            String inner = text.substring(start + 2, end);
            int colon = topLevelColon(inner);
            String key = resolve(colon < 0 ? inner : inner.substring(0, colon), visiting);
            String value = raw(key);
            if (value != null) {
                if (!visiting.add(key)) {
                    throw new Failure("Circular placeholder reference '" + key + "' in property definitions");
                }
                out.append(resolve(value, visiting));
                visiting.remove(key);
            } else if (colon >= 0) {
                out.append(resolve(inner.substring(colon + 1), visiting));
            } else {
                throw new Failure("Could not resolve placeholder '" + key + "' in value \"" + text + "\"");
            }
            i = end + 1;
        }
    }

    private static int topLevelColon(String inner) {
        int depth = 0;
        for (int i = 0; i < inner.length(); i++) {
            if (inner.charAt(i) == '{') {
                depth++;
            } else if (inner.charAt(i) == '}') {
                depth--;
            } else if (inner.charAt(i) == ':' && depth == 0) {
                return i;
            }
        }
        return -1;
    }

    private static int closing(String text, int from) {
        int depth = 1;
        for (int i = from; i < text.length(); i++) {
            if (text.charAt(i) == '{') {  // as Spring: any brace nests, so "#{null}" stays inside a default
                depth++;
            } else if (text.charAt(i) == '}') {
                depth--;
                if (depth == 0) {
                    return i;
                }
            }
        }
        return -1;
    }
}
