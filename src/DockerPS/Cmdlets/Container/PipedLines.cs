using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace DockerPS.Cmdlets.Container
{
    /// <summary>
    /// The standard input of a command in a container. When the target (container or image) is named on the command
    /// line, piped objects cannot be the target, so they are the command's input lines, as for a native command: they
    /// are gathered, and the command runs once at the end with all of them.
    /// </summary>
    internal sealed class PipedLines
    {
        private readonly List<string>? gathered;

        private PipedLines(string[]? given, List<string>? gathered)
        {
            Given = given;
            this.gathered = gathered;
        }

        /// <summary>-Input as given on the command line.</summary>
        public string[]? Given { get; }

        /// <summary>True when piped objects are gathered as input lines.</summary>
        public bool Gathering => gathered != null;

        /// <summary>The lines gathered so far.</summary>
        public string[] Lines => gathered?.ToArray() ?? new string[0];

        /// <summary>Decides, in BeginProcessing, whether piped objects are input lines.</summary>
        public static PipedLines Begin(PSCmdlet cmdlet, string targetParameter, string[]? input)
        {
            bool gather = cmdlet.MyInvocation.ExpectingInput && input == null && cmdlet.MyInvocation.BoundParameters.ContainsKey(targetParameter);
            return new PipedLines(input, gather ? new List<string>() : null);
        }

        /// <summary>Takes the lines one piped object was bound as.</summary>
        public void Add(string[]? lines) => gathered?.AddRange((lines ?? new string[0]).Select(line => line ?? string.Empty));

        /// <summary>For each input record: gathers the piped lines, or runs at once with the given ones.</summary>
        public void Record(string[]? input, Action<string[]?> run)
        {
            if (Gathering)
            {
                Add(input);
            }
            else
            {
                run(Given);
            }
        }

        /// <summary>At the end of the input: runs once with every gathered line, when lines were gathered.</summary>
        public void End(Action<string[]?> run)
        {
            if (Gathering)
            {
                run(Lines);
            }
        }
    }
}
