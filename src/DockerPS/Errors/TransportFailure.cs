using System;
using System.IO;
using System.Net.Http;
using System.Net.Sockets;

namespace DockerPS.Errors
{
    /// <summary>
    /// Whether a failure came from the way to the engine (a socket, the HTTP exchange, the connection's stream): only
    /// those can say that the engine is unreachable. An assembly that did not load, a type that did not initialize or a
    /// bug keeps its own cause instead of sending the user to check an engine that is fine.
    /// </summary>
    internal static class TransportFailure
    {
        public static bool Is(Exception exception)
        {
            if (AssemblyLoadFailure.Is(exception))
            {
                return false;
            }

            for (Exception? current = exception; current != null; current = current.InnerException)
            {
                if (current is SocketException || current is HttpRequestException || current is IOException)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
