import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Stand-in for KOSMOS (felleslosninger/efm-kosmos) as far as a take-over sees it: started by WinSW in its home
 * folder, it launches integrasjonspunkt as its own child with KOSMOS's command line, the version its newest
 * integrasjonspunkt-<v>.allowlisted names and the profile kosmos.integrasjonspunkt.profile resolves to, then waits.
 * Like KOSMOS (zt-exec's ProcessExecutor without destroyOnExit) it leaves the child running when it is stopped.
 */
public final class Kosmos {
    private Kosmos() {
    }

    public static void main(String[] args) throws Exception {
        File home = new File(System.getProperty("user.dir")).getAbsoluteFile();
        String profile = profile(args, home);
        String version = allowlisted(home);
        if (version == null) {
            System.out.println("No running integrasjonspunkt found and none allow-listed");
        } else {
            File jar = new File(home, "integrasjonspunkt-" + version + ".jar");
            List<String> command = new ArrayList<String>();
            command.add("java");
            command.add("-jar");
            command.add(jar.getAbsolutePath());
            command.add("--management.endpoint.shutdown.enabled=true");
            command.add("--app.logger.enableSSL=false");
            command.add("--spring.profiles.active=" + profile);
            File logs = new File(home, "kosmos-logs");
            logs.mkdirs();
            new ProcessBuilder(command).directory(home).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(new File(logs, "integrasjonspunkt.out.log")))
                    .start();
            System.out.println("Starting application: " + jar.getAbsolutePath() + " with profile " + profile);
        }
        while (true) {
            Thread.sleep(60000L);
        }
    }

    private static String profile(String[] args, File home) throws IOException {
        for (String name : new String[] {"kosmos-local.properties", "integrasjonspunkt-local.properties"}) {
            String value = read(new File(home, name)).getProperty("kosmos.integrasjonspunkt.profile");
            if (value != null && !value.trim().isEmpty()) {
                return value.trim();
            }
        }
        for (String arg : args) {
            if (arg.startsWith("--spring.profiles.active=")) {
                return arg.substring("--spring.profiles.active=".length());
            }
        }
        return "staging";
    }

    private static Properties read(File file) throws IOException {
        Properties properties = new Properties();
        if (file.isFile()) {
            InputStream in = new FileInputStream(file);
            try {
                properties.load(in);
            } finally {
                in.close();
            }
        }
        return properties;
    }

    /** The newest allow-listed version; versions compare by their numbers. */
    private static String allowlisted(File home) {
        String best = null;
        String[] names = home.list();
        for (String name : names == null ? new String[0] : names) {
            if (name.startsWith("integrasjonspunkt-") && name.endsWith(".allowlisted")) {
                String version = name.substring("integrasjonspunkt-".length(), name.length() - ".allowlisted".length());
                if (best == null || compare(version, best) > 0) {
                    best = version;
                }
            }
        }
        return best;
    }

    private static int compare(String a, String b) {
        String[] x = a.replaceFirst("^[vV]", "").split("\\.");
        String[] y = b.replaceFirst("^[vV]", "").split("\\.");
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            int d = Integer.parseInt(x[i].replaceAll("\\D.*", "")) - Integer.parseInt(y[i].replaceAll("\\D.*", ""));
            if (d != 0) {
                return d;
            }
        }
        return x.length - y.length;
    }
}
