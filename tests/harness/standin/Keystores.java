import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * Keystores as integrasjonspunkt opens them: the organisation keystore (difi.move.org.keystore.*) and the TLS
 * keystore (server.ssl.*). The type must match the file: newer JDKs would load a PKCS12 file as JKS and back
 * (keystore.type.compat), but a Java 8 runtime and integrasjonspunkt's own keystore code need not, so the stand-in
 * refuses a mismatch the way the strictest of them does.
 */
final class Keystores {
    private Keystores() {
    }

    /** JKS, JCEKS or PKCS12 from the file's first bytes; null for anything else. */
    static String formatOf(File file) throws IOException {
        byte[] head = new byte[4];
        InputStream in = new FileInputStream(file);
        int read;
        try {
            read = in.read(head);
        } finally {
            in.close();
        }
        if (read == 4 && (head[0] & 0xff) == 0xfe && (head[1] & 0xff) == 0xed && (head[2] & 0xff) == 0xfe
                && (head[3] & 0xff) == 0xed) {
            return "JKS";
        }
        if (read == 4 && (head[0] & 0xff) == 0xce && (head[1] & 0xff) == 0xce && (head[2] & 0xff) == 0xce
                && (head[3] & 0xff) == 0xce) {
            return "JCEKS";
        }
        if (read >= 1 && head[0] == 0x30) {
            return "PKCS12";
        }
        return null;
    }

    /** Path as Spring takes it: a plain path or a file: URL, relative to the working folder. */
    static File file(String location, File workingDir) {
        String path = location.startsWith("file:") ? location.substring("file:".length()) : location;
        File file = new File(path);
        return file.isAbsolute() ? file : new File(workingDir, path);
    }

    static KeyStore load(String what, File file, String type, String password) throws SpringConfig.Failure {
        if (!file.isFile()) {
            throw new SpringConfig.Failure(what + ": keystore " + file + " does not exist (java.io.FileNotFoundException)");
        }
        try {
            String format = formatOf(file);
            if (format == null || !format.equalsIgnoreCase(type.trim())) {
                throw new SpringConfig.Failure(what + ": keystore " + file + " is not of type " + type
                        + " (java.io.IOException: Invalid keystore format; the file is "
                        + (format == null ? "no keystore" : format) + ")");
            }
            KeyStore store = KeyStore.getInstance(format);
            InputStream in = new FileInputStream(file);
            try {
                store.load(in, password == null ? null : password.toCharArray());
            } finally {
                in.close();
            }
            return store;
        } catch (IOException e) {
            throw new SpringConfig.Failure(what + ": cannot load keystore " + file + ": " + e.getMessage());
        } catch (GeneralSecurityException e) {
            throw new SpringConfig.Failure(what + ": cannot load keystore " + file + ": " + e);
        }
    }

    /**
     * A TLS context serving the key under `alias`. The jar sets server.ssl.key-alias, so Tomcat looks for exactly
     * that name: an empty or unknown alias stops the start (Tomcat picks "any key" only when no alias is set).
     */
    static SSLContext serverContext(KeyStore store, String alias, String password) throws SpringConfig.Failure {
        try {
            char[] secret = password == null ? new char[0] : password.toCharArray();
            if (!store.isKeyEntry(alias)) {
                throw new SpringConfig.Failure("Alias name [" + alias + "] does not identify a key entry"
                        + " (server.ssl.key-alias)");
            }
            Key key = store.getKey(alias, secret);
            Certificate[] chain = store.getCertificateChain(alias);
            KeyStore chosen = KeyStore.getInstance("JKS");
            chosen.load(null, null);
            chosen.setKeyEntry(alias, key, secret, chain);
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(chosen, secret);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (IOException e) {
            throw new SpringConfig.Failure("Could not load key store: " + e.getMessage());
        } catch (GeneralSecurityException e) {
            throw new SpringConfig.Failure("Could not load key store: " + e);
        }
    }
}
