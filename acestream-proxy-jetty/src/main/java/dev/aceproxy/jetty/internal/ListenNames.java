package dev.aceproxy.jetty.internal;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The host names a server listens as: the address it binds and, when it binds every interface,
 * every address of the machine's interfaces and the machine's own name. Requests addressed to
 * these names (or to loopback) pass {@link HostGuard}.
 */
public final class ListenNames {

    private ListenNames() {
    }

    /**
     * Lists the names for a bind address.
     *
     * @param bindHost the host the server binds, or null (or a wildcard address) for every
     *     interface
     * @return normalised names: lower case, IPv6 without brackets or zone
     */
    public static Set<String> of(String bindHost) {
        Set<String> names = new TreeSet<>();
        if (bindHost != null && !isWildcard(bindHost)) {
            names.add(normalise(bindHost));
            try {
                names.add(normalise(InetAddress.getByName(bindHost).getHostAddress()));
            } catch (UnknownHostException e) {
                // The builder resolved it before; a name that no longer resolves adds nothing.
            }
            return names;
        }
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    names.add(normalise(address.getHostAddress()));
                }
            }
        } catch (SocketException e) {
            // No interface list: only loopback and the configured names are allowed.
        }
        try {
            names.add(normalise(InetAddress.getLocalHost().getHostName()));
        } catch (UnknownHostException e) {
            // A machine whose own name does not resolve: the operator can add it as an allowed host.
        }
        return names;
    }

    private static boolean isWildcard(String host) {
        return host.isEmpty() || host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
    }

    private static String normalise(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        int zone = h.indexOf('%');
        return zone >= 0 ? h.substring(0, zone) : h;
    }
}
