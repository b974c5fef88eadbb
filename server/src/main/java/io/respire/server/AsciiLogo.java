package io.respire.server;

import io.respire.server.commands.ServerInfo;

/**
 * The ASCII logo Redis logs at start (its asciilogo.h art), with Respire's version, the mode, the
 * port and the PID beside it. Redis's test suite finds a server's PID in this " PID: " line.
 */
final class AsciiLogo {
    private AsciiLogo() {
    }

    private static final String[] ART = {
        "                _._                                                  \n",
        "           _.-``__ ''-._                                             \n",
        "      _.-``    `.  `_.  ''-._           %1$s\n",
        "  .-`` .-```.  ```\\/    _.,_ ''-._                                  \n",
        " (    '      ,       .-`  | `,    )     Running in %2$s mode\n",
        " |`-._`-...-` __...-.``-._|'` _.-'|     Port: %3$d\n",
        " |    `-._   `._    /     _.-'    |     PID: %4$d\n",
        "  `-._    `-._  `-./  _.-'    _.-'                                   \n",
        " |`-._`-._    `-.__.-'    _.-'_.-'|                                  \n",
        " |    `-._`-._        _.-'_.-'    |           %5$s\n",
        "  `-._    `-._`-.__.-'_.-'    _.-'                                   \n",
        " |`-._`-._    `-.__.-'    _.-'_.-'|                                  \n",
        " |    `-._`-._        _.-'_.-'    |                                  \n",
        "  `-._    `-._`-.__.-'_.-'    _.-'                                   \n",
        "      `-._    `-.__.-'    _.-'                                       \n",
        "          `-._        _.-'                                           \n",
        "              `-.__.-'                                               \n\n",
    };

    /** The logo text, ending with an empty line, for a server in {@code mode} on {@code port}. */
    static String render(String mode, int port, long pid) {
        String[] fields = {
            "Respire " + ServerInfo.RESPIRE_VERSION + " (Redis " + ServerInfo.REDIS_VERSION + " compatible) 64 bit",
            mode, Integer.toString(port), Long.toString(pid), "Java ".concat(System.getProperty("java.version"))};
        StringBuilder out = new StringBuilder(1400);
        for (String line : ART) {
            int mark = line.indexOf('%');
            if (mark < 0) {
                out.append(line);
            } else { // "%N$s" or "%N$d": field N
                int end = line.indexOf('$', mark);
                out.append(line, 0, mark).append(fields[line.charAt(mark + 1) - '1']).append(line, end + 2, line.length());
            }
        }
        return out.toString();
    }
}
