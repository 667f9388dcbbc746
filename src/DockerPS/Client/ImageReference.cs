using System.Text.RegularExpressions;

namespace DockerPS.Client
{
    /// <summary>The engine's grammar for image references, checked before a request so a typo gets a clear error.</summary>
    internal static class ImageReference
    {
        private const string Component = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
        private const string Domain = "(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?";

        private static readonly Regex Pattern = new Regex(
            $"^(?:{Domain}/)?{Component}(?:/{Component})*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{{0,127}})?(?:@sha256:[a-f0-9]{{64}})?$",
            RegexOptions.CultureInvariant);

        public static bool IsValid(string reference) => reference.Length <= 255 && Pattern.IsMatch(reference);
    }
}
