using System;

namespace DockerPS.Errors
{
    /// <summary>Small rules for putting other text into our messages.</summary>
    internal static class Wording
    {
        /// <summary>An exception's message as a clause to put inside a sentence: without its closing full stop.</summary>
        public static string Clause(string message) => message.Trim().TrimEnd('.').TrimEnd();

        /// <summary>The warning for something a command made and could not remove again (a helper container, a new volume).</summary>
        public static string CouldNotRemove(string what, Exception why) =>
            $"Could not remove {what}: {Clause(why.Message)}. Remove it with docker rm -f or Remove-DockerContainer -Force.";
    }
}
