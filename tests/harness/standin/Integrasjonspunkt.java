import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.text.SimpleDateFormat;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;

import javax.net.ssl.SSLContext;

/**
 * Stand-in for integrasjonspunkt: starts, reads its settings and answers its health endpoints like the real
 * Spring Boot application, without doing any of its work. What it is (version, behaviour) is read from the
 * resource standin.properties that the harness packs into each jar; its defaults from the jar's own
 * BOOT-INF/classes/config/ files, resolved as Spring does (SpringConfig).
 */
public final class Integrasjonspunkt {
    private static final String APP = "IntegrasjonspunktApplication";
    private static final String PROPERTIES_FILE = "integrasjonspunkt-local.properties";

    private static final Properties build = new Properties();
    private static final Map<String, String> commandLine = new HashMap<String, String>();
    private static final List<HttpServer> servers = new ArrayList<HttpServer>();
    private static SpringConfig config;
    private static int major;
    private static SSLContext tls;
    private static boolean auth;
    private static boolean shutdownEnabled;
    private static String expectedAuthorization;
    private static String version;
    private static String behaviour;

    /** Behaviours combine with '+', e.g. never_healthy+slow_stop. */
    private static boolean is(String name) {
        for (String part : behaviour.split("\\+")) {
            if (part.equals(name)) {
                return true;
            }
        }
        return false;
    }
    private static String contextPath;
    private static int port;

    private Integrasjonspunkt() {
    }

    public static void main(String[] args) throws Exception {
        long began = System.currentTimeMillis();
        InputStream resource = Integrasjonspunkt.class.getResourceAsStream("/standin.properties");
        build.load(new InputStreamReader(resource, StandardCharsets.UTF_8));
        version = build.getProperty("version");
        behaviour = build.getProperty("behaviour", "healthy");
        for (String arg : args) {
            // Spring Boot's command-line properties: --name=value
            if (arg.startsWith("--") && arg.contains("=")) {
                int eq = arg.indexOf('=');
                commandLine.put(arg.substring(2, eq), arg.substring(eq + 1));
            }
        }
        File dir = new File(System.getProperty("user.dir")).getAbsoluteFile();
        info("Starting " + APP + " v" + plainVersion() + " using Java " + System.getProperty("java.version")
                + " with PID " + pid() + " (" + jarLocation() + " started in " + dir + ")");

        major = Integer.parseInt(plainVersion().split("\\.")[0]);
        int managementPort;
        File database;
        try {
            config = new SpringConfig(commandLine, System.getenv(), dir);
            if (config.profiles().isEmpty()) {
                if (Boolean.parseBoolean(build.getProperty("profile_required"))) {
                    fail("No active profile set. Integrasjonspunkt " + version + " needs one: start it with"
                            + " -Dspring.profiles.active=production (or staging); without one it reads neither"
                            + " its profile settings nor " + PROPERTIES_FILE + ".");
                }
                info("No active profile set, falling back to 1 default profile: \"default\"");
            } else {
                info("The following " + config.profiles().size() + " profile is active: \""
                        + join(config.profiles()) + "\"");
            }
            info("Configuration read from " + join(config.loaded()));

            String orgNumber = config.get("difi.move.org.number", "");
            if (orgNumber.trim().isEmpty()) {
                fail("Required property difi.move.org.number is not set (" + PROPERTIES_FILE + " in " + dir
                        + " is read only through a profile that imports it)");
            }
            port = config.integer("server.port", 8080);
            managementPort = config.integer("management.server.port", port);
            contextPath = normaliseContextPath(config.get("server.servlet.context-path", ""));
            database = databaseFile(config.require("spring.datasource.url"), dir);
            config.require("spring.activemq.broker-url");
            checkOrgKeystore(dir);
            auth = config.flag("difi.move.feature.enable-auth", false);
            shutdownEnabled = config.flag("management.endpoint.shutdown.enabled", false);
            if (auth) {
                String user = nullable(config.get("spring.security.user.name"));
                String password = nullable(config.get("spring.security.user.password"));
                if (password == null) {
                    password = UUID.randomUUID().toString();
                    info("Using generated security password: " + password);
                }
                String pair = (user == null ? "user" : user) + ":" + password;
                expectedAuthorization = "Basic " + Base64.getEncoder().encodeToString(
                        pair.getBytes(StandardCharsets.UTF_8));
            }
        } catch (SpringConfig.Failure e) {
            fail("Application run failed: " + e.getMessage());
            return;
        }

        if (database != null) {
            appendDatabaseLine(database);
            holdDatabase(database);
        }
        if (is("exit_at_start")) {
            fail("APPLICATION FAILED TO START (stand-in behaviour exit_at_start)");
        }
        if (is("slow_start")) {
            info("Initialising (slow_start: " + param("delay", "5") + " s)");
            sleepSeconds(param("delay", "5"));
        }

        Runtime.getRuntime().addShutdownHook(new Thread(new Runnable() {
            public void run() {
                stop();
            }
        }, "shutdown"));

        try {
            tls = config.flag("server.ssl.enabled", false) ? serverTls(dir) : null;
        } catch (SpringConfig.Failure e) {
            fail("Application run failed: " + e.getMessage());
            return;
        }
        String scheme = tls == null ? "http" : "https";
        final boolean separateManagement = managementPort != port;
        listen(port, false, separateManagement);
        info("Tomcat started on port " + port + " (" + scheme + ") with context path '" + contextPath + "'");
        if (separateManagement) {
            listen(managementPort, true, true);
            info("Tomcat started on port " + managementPort + " (" + scheme + ") with context path ''");
        }
        double seconds = (System.currentTimeMillis() - began) / 1000.0;
        info("Started " + APP + " in " + seconds + " seconds (process running for " + seconds + ")");

        if (is("crash_after")) {
            final String after = param("after", "3");
            Thread crash = new Thread(new Runnable() {
                public void run() {
                    sleepSeconds(after);
                    error("Application crashed (stand-in behaviour crash_after " + after + " s)");
                    Runtime.getRuntime().halt(1);
                }
            }, "crash");
            crash.setDaemon(true);
            crash.start();
        }
        new CountDownLatch(1).await();
    }

    private static void listen(int onPort, final boolean managementOnly, final boolean separateManagement)
            throws IOException {
        HttpServer server;
        try {
            if (tls == null) {
                server = HttpServer.create(new InetSocketAddress(onPort), 50);
            } else {
                HttpsServer secure = HttpsServer.create(new InetSocketAddress(onPort), 50);
                secure.setHttpsConfigurator(new HttpsConfigurator(tls));
                server = secure;
            }
        } catch (BindException e) {
            fail("Web server failed to start. Port " + onPort + " was already in use.");
            return;
        }
        server.createContext("/", new com.sun.net.httpserver.HttpHandler() {
            public void handle(HttpExchange exchange) throws IOException {
                try {
                    answer(exchange, managementOnly, separateManagement);
                } finally {
                    exchange.close();
                }
            }
        });
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
        servers.add(server);
    }

    private static void answer(HttpExchange exchange, boolean managementOnly, boolean separateManagement)
            throws IOException {
        String path = exchange.getRequestURI().getPath();
        String query = exchange.getRequestURI().getRawQuery();
        String manage = (separateManagement ? "" : contextPath) + "/manage";
        if (is("http_500")) {
            send(exchange, 500, "application/json",
                    "{\"status\":500,\"error\":\"Internal Server Error\",\"path\":\"" + path + "\"}");
            return;
        }
        String relative = separateManagement && managementOnly ? path
                : path.startsWith(contextPath) ? path.substring(contextPath.length()) : path;
        if (auth && !openWithoutLogin(relative)
                && !expectedAuthorization.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"Realm\"");
            send(exchange, 401, "application/json",
                    "{\"status\":401,\"error\":\"Unauthorized\",\"path\":\"" + path + "\"}");
            return;
        }
        boolean unhealthy = is("never_healthy");
        boolean serveManage = managementOnly || !separateManagement;
        if (!managementOnly && path.equals(contextPath + "/noarkExchange")
                && Boolean.parseBoolean(build.getProperty("wsdl"))) {
            if (query == null || !query.toLowerCase().startsWith("wsdl")) {
                send(exchange, 405, "text/plain", "Method Not Allowed: a SOAP endpoint; ask for ?wsdl\n");
            } else if (unhealthy) {
                send(exchange, 503, "text/plain", "Service Unavailable\n");
            } else {
                send(exchange, 200, "text/xml;charset=UTF-8", wsdl());
            }
        } else if (serveManage && path.equals(manage + "/health")) {
            if (unhealthy) {
                send(exchange, 503, "application/json", "{\"status\":\"DOWN\"}");
            } else {
                send(exchange, 200, "application/json", "{\"status\":\"UP\"}");
            }
        } else if (serveManage && path.equals(manage + "/shutdown") && "POST".equals(exchange.getRequestMethod())
                && shutdownEnabled) {
            // Spring Boot's shutdown endpoint (KOSMOS starts integrasjonspunkt with it enabled): answer, then close
            // the context as a graceful stop does; disabled, it is not there (404 below).
            send(exchange, 200, "application/json", "{\"message\":\"Shutting down, bye...\"}");
            Thread exit = new Thread(new Runnable() {
                public void run() {
                    System.exit(0);
                }
            }, "shutdown-endpoint");
            exit.start();
        } else if (serveManage && path.equals(manage + "/info")) {
            String reported = plainVersion();
            if (is("wrong_version")) {
                reported = param("report_version", "0.0.1");
            }
            send(exchange, 200, "application/json", "{\"build\":{\"artifact\":\"integrasjonspunkt\","
                    + "\"name\":\"integrasjonspunkt\",\"group\":\"no.difi.meldingsutveksling\","
                    + "\"version\":\"" + reported + "\",\"time\":\"2025-01-01T00:00:00Z\"}}");
        } else {
            send(exchange, 404, "application/json",
                    "{\"status\":404,\"error\":\"Not Found\",\"path\":\"" + path + "\"}");
        }
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        boolean head = "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            OutputStream out = exchange.getResponseBody();
            out.write(bytes);
            out.close();
        }
    }

    private static String wsdl() {
        String location = "http://localhost:" + port + contextPath + "/noarkExchange";
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<wsdl:definitions name=\"noarkExchange\" targetNamespace=\"http://www.arkivverket.no/Noark/Exchange\"\n"
                + "    xmlns:wsdl=\"http://schemas.xmlsoap.org/wsdl/\"\n"
                + "    xmlns:soap=\"http://schemas.xmlsoap.org/wsdl/soap/\"\n"
                + "    xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\"\n"
                + "    xmlns:tns=\"http://www.arkivverket.no/Noark/Exchange\"\n"
                + "    xmlns:types=\"http://www.arkivverket.no/Noark/Exchange/types\">\n"
                + "  <wsdl:types>\n"
                + "    <xsd:schema targetNamespace=\"http://www.arkivverket.no/Noark/Exchange/types\""
                + " elementFormDefault=\"qualified\">\n"
                + "      <xsd:complexType name=\"AddressType\">\n"
                + "        <xsd:sequence>\n"
                + "          <xsd:element name=\"orgnr\" type=\"xsd:string\"/>\n"
                + "          <xsd:element name=\"name\" type=\"xsd:string\" minOccurs=\"0\"/>\n"
                + "        </xsd:sequence>\n"
                + "      </xsd:complexType>\n"
                + "      <xsd:element name=\"GetCanReceiveMessageRequest\">\n"
                + "        <xsd:complexType><xsd:sequence>\n"
                + "          <xsd:element name=\"receiver\" type=\"types:AddressType\"/>\n"
                + "        </xsd:sequence></xsd:complexType>\n"
                + "      </xsd:element>\n"
                + "      <xsd:element name=\"GetCanReceiveMessageResponse\">\n"
                + "        <xsd:complexType><xsd:sequence>\n"
                + "          <xsd:element name=\"result\" type=\"xsd:boolean\"/>\n"
                + "        </xsd:sequence></xsd:complexType>\n"
                + "      </xsd:element>\n"
                + "      <xsd:element name=\"PutMessageRequest\">\n"
                + "        <xsd:complexType><xsd:sequence>\n"
                + "          <xsd:element name=\"envelope\" type=\"xsd:anyType\"/>\n"
                + "          <xsd:element name=\"payload\" type=\"xsd:anyType\"/>\n"
                + "        </xsd:sequence></xsd:complexType>\n"
                + "      </xsd:element>\n"
                + "      <xsd:element name=\"PutMessageResponse\">\n"
                + "        <xsd:complexType><xsd:sequence>\n"
                + "          <xsd:element name=\"result\" type=\"xsd:anyType\"/>\n"
                + "        </xsd:sequence></xsd:complexType>\n"
                + "      </xsd:element>\n"
                + "    </xsd:schema>\n"
                + "  </wsdl:types>\n"
                + "  <wsdl:message name=\"GetCanReceiveMessageRequest\">\n"
                + "    <wsdl:part name=\"parameters\" element=\"types:GetCanReceiveMessageRequest\"/>\n"
                + "  </wsdl:message>\n"
                + "  <wsdl:message name=\"GetCanReceiveMessageResponse\">\n"
                + "    <wsdl:part name=\"parameters\" element=\"types:GetCanReceiveMessageResponse\"/>\n"
                + "  </wsdl:message>\n"
                + "  <wsdl:message name=\"PutMessageRequest\">\n"
                + "    <wsdl:part name=\"parameters\" element=\"types:PutMessageRequest\"/>\n"
                + "  </wsdl:message>\n"
                + "  <wsdl:message name=\"PutMessageResponse\">\n"
                + "    <wsdl:part name=\"parameters\" element=\"types:PutMessageResponse\"/>\n"
                + "  </wsdl:message>\n"
                + "  <wsdl:portType name=\"SOAPport\">\n"
                + "    <wsdl:operation name=\"GetCanReceiveMessage\">\n"
                + "      <wsdl:input message=\"tns:GetCanReceiveMessageRequest\"/>\n"
                + "      <wsdl:output message=\"tns:GetCanReceiveMessageResponse\"/>\n"
                + "    </wsdl:operation>\n"
                + "    <wsdl:operation name=\"PutMessage\">\n"
                + "      <wsdl:input message=\"tns:PutMessageRequest\"/>\n"
                + "      <wsdl:output message=\"tns:PutMessageResponse\"/>\n"
                + "    </wsdl:operation>\n"
                + "  </wsdl:portType>\n"
                + "  <wsdl:binding name=\"SOAPbinding\" type=\"tns:SOAPport\">\n"
                + "    <soap:binding style=\"document\" transport=\"http://schemas.xmlsoap.org/soap/http\"/>\n"
                + "    <wsdl:operation name=\"GetCanReceiveMessage\">\n"
                + "      <soap:operation soapAction=\"\"/>\n"
                + "      <wsdl:input><soap:body use=\"literal\"/></wsdl:input>\n"
                + "      <wsdl:output><soap:body use=\"literal\"/></wsdl:output>\n"
                + "    </wsdl:operation>\n"
                + "    <wsdl:operation name=\"PutMessage\">\n"
                + "      <soap:operation soapAction=\"\"/>\n"
                + "      <wsdl:input><soap:body use=\"literal\"/></wsdl:input>\n"
                + "      <wsdl:output><soap:body use=\"literal\"/></wsdl:output>\n"
                + "    </wsdl:operation>\n"
                + "  </wsdl:binding>\n"
                + "  <wsdl:service name=\"noarkExchange\">\n"
                + "    <wsdl:port name=\"NoarkExchangePort\" binding=\"tns:SOAPbinding\">\n"
                + "      <soap:address location=\"" + location + "\"/>\n"
                + "    </wsdl:port>\n"
                + "  </wsdl:service>\n"
                + "</wsdl:definitions>\n";
    }

    private static void stop() {
        info("Commencing graceful shutdown. Waiting for active requests to complete");
        if (is("slow_stop")) {
            sleepSeconds(param("delay", "5"));
        }
        for (HttpServer server : servers) {
            server.stop(0);
        }
        info("Graceful shutdown complete");
        info("Stopped " + APP + " (PID " + pid() + ")");
    }

    /** With basic auth on, 2.x leaves /manage/health open; 3.x/4.x any /manage/<one segment> and /error. */
    private static boolean openWithoutLogin(String path) {
        if (major < 3) {
            return path.equals("/manage/health") || path.equals("/health");
        }
        return path.matches("/manage/[^/]+") || path.equals("/error");
    }

    /** Where H2 keeps a jdbc:h2:[file:]PATH database (PATH.mv.db); null for any other database. */
    private static File databaseFile(String url, File dir) throws SpringConfig.Failure {
        String text = url.trim();
        if (!text.startsWith("jdbc:h2:")) {
            return null;
        }
        String rest = text.substring("jdbc:h2:".length());
        int options = rest.indexOf(';');
        if (options >= 0) {
            rest = rest.substring(0, options);
        }
        if (rest.startsWith("mem:") || rest.startsWith("tcp:") || rest.startsWith("ssl:")) {
            return null;
        }
        if (rest.startsWith("file:")) {
            rest = rest.substring("file:".length());
        }
        String path;
        if (rest.startsWith("~")) {
            path = System.getProperty("user.home") + rest.substring(1);
        } else if (new File(rest).isAbsolute() || rest.startsWith("./") || rest.startsWith(".\\")
                || rest.matches("[A-Za-z]:[/\\\\].*")) {
            path = rest;
        } else {
            throw new SpringConfig.Failure("A file path that is implicitly relative to the current working"
                    + " directory is not allowed in the database URL \"" + url + "\". Use an absolute path,"
                    + " ~/name, ./name, or the baseDir setting instead. [90011-224]");
        }
        File file = new File(path + ".mv.db");
        return file.isAbsolute() ? file : new File(dir, path + ".mv.db");
    }

    /** The organisation keystore is opened at start when it is configured; its type must match the file. */
    private static void checkOrgKeystore(File dir) throws SpringConfig.Failure {
        String path = config.get("difi.move.org.keystore.path");
        if (path == null || path.trim().isEmpty()) {
            return;
        }
        Keystores.load("difi.move.org.keystore", Keystores.file(path.trim(), dir),
                config.get("difi.move.org.keystore.type", "jks"), config.get("difi.move.org.keystore.password"));
    }

    private static SSLContext serverTls(File dir) throws SpringConfig.Failure {
        String location = config.require("server.ssl.key-store");
        String password = config.require("server.ssl.key-store-password");
        String alias = config.require("server.ssl.key-alias");
        String type = config.get("server.ssl.key-store-type", "JKS");
        KeyStore store = Keystores.load("server.ssl", Keystores.file(location.trim(), dir), type, password);
        return Keystores.serverContext(store, alias.trim(), config.get("server.ssl.key-password", password));
    }

    /** SpEL's #{null}, which the jar gives as the default user name and password, means none. */
    private static String nullable(String value) {
        return value == null || value.equals("#{null}") || value.isEmpty() ? null : value;
    }

    private static String join(List<String> parts) {
        StringBuilder out = new StringBuilder();
        for (String part : parts) {
            out.append(out.length() == 0 ? "" : ", ").append(part);
        }
        return out.toString();
    }

    private static String param(String name, String fallback) {
        return build.getProperty("param." + name, fallback);
    }

    private static String normaliseContextPath(String value) {
        String path = value.trim();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        if (!path.isEmpty() && !path.startsWith("/")) {
            path = "/" + path;
        }
        return path;
    }

    private static void appendDatabaseLine(File db) throws IOException {
        db.getAbsoluteFile().getParentFile().mkdirs();  // H2 creates the database's folder
        Writer writer = new OutputStreamWriter(new FileOutputStream(db, true), StandardCharsets.UTF_8);
        try {
            writer.write(timestamp() + " " + version + " " + pid() + "\n");
        } finally {
            writer.close();
        }
    }

    /** Kept open and locked while the process runs, as H2 holds its database (FileChannel.lock: on Windows a
     * mandatory byte-range lock, so another process's read fails with ERROR_LOCK_VIOLATION; advisory on Linux,
     * where tests/harness/h2_lock.py refuses the reads instead). */
    private static RandomAccessFile heldDatabase;
    private static FileLock databaseLock;

    private static void holdDatabase(File db) throws IOException {
        heldDatabase = new RandomAccessFile(db, "rw");
        databaseLock = heldDatabase.getChannel().lock();
    }

    private static void sleepSeconds(String seconds) {
        try {
            Thread.sleep((long) (Double.parseDouble(seconds) * 1000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The version without the tag's 'v', as /manage/info reports it. */
    private static String plainVersion() {
        return version.startsWith("v") ? version.substring(1) : version;
    }

    private static String pid() {
        String name = ManagementFactory.getRuntimeMXBean().getName();
        return name.substring(0, name.indexOf('@'));
    }

    private static String jarLocation() {
        return Integrasjonspunkt.class.getProtectionDomain().getCodeSource().getLocation().getPath();
    }

    private static String timestamp() {
        return new SimpleDateFormat("yyyy-MM-dd'T'HH:mm:ss.SSSXXX").format(new Date());
    }

    private static void line(PrintStream stream, String level, String message) {
        stream.println(timestamp() + " " + level + " " + pid() + " --- [" + Thread.currentThread().getName()
                + "] n.d.m.IntegrasjonspunktApplication : " + message);
        stream.flush();
    }

    private static void info(String message) {
        line(System.out, " INFO", message);
    }

    private static void error(String message) {
        line(System.err, "ERROR", message);
    }

    private static void fail(String message) {
        error(message);
        System.exit(1);
    }
}
