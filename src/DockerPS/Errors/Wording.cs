namespace DockerPS.Errors
{
    /// <summary>Small rules for putting other text into our messages.</summary>
    internal static class Wording
    {
        /// <summary>An exception's message as a clause to put inside a sentence: without its closing full stop.</summary>
        public static string Clause(string message) => message.Trim().TrimEnd('.').TrimEnd();
    }
}
