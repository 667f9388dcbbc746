using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using DockerPS.Specs;

namespace DockerPS.Completers
{
    /// <summary>Completes parameters that take one of a known list of words (kept as strings to also take docker's own forms).</summary>
    public abstract class FixedValueCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string typed = (wordToComplete ?? string.Empty).Trim('\'', '"');
            return Values(typed).Where(v => v.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
                .Select(v => new CompletionResult(v, v, CompletionResultType.ParameterValue, v))
                .ToArray();
        }

        /// <summary>The words to offer for what was typed so far.</summary>
        protected abstract IEnumerable<string> Values(string typed);
    }

    /// <summary>Completes -RestartPolicy: No, Always, UnlessStopped, OnFailure.</summary>
    public sealed class RestartPolicyCompleter : FixedValueCompleter
    {
        protected override IEnumerable<string> Values(string typed) => Enum.GetNames(typeof(ContainerRestartPolicy));
    }

    /// <summary>Completes -Signal with the signal names, with SIG in front when the user started with it.</summary>
    public sealed class SignalCompleter : FixedValueCompleter
    {
        protected override IEnumerable<string> Values(string typed) =>
            typed.StartsWith("SIG", StringComparison.OrdinalIgnoreCase) ? SignalSpec.Names.Select(n => "SIG" + n) : SignalSpec.Names;
    }
}
