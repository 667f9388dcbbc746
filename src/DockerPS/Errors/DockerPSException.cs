using System;
using System.Management.Automation;

namespace DockerPS.Errors
{
    /// <summary>An error DockerPS raises itself, carrying the id, category and target its ErrorRecord gets.</summary>
    public sealed class DockerPSException : Exception
    {
        public DockerPSException(string errorId, ErrorCategory category, object? target, string message, Exception? innerException = null)
            : base(message, innerException)
        {
            ErrorId = errorId;
            Category = category;
            Target = target;
        }

        /// <summary>The error id, one of <see cref="ErrorIds"/>.</summary>
        public string ErrorId { get; }

        /// <summary>The category of the error.</summary>
        public ErrorCategory Category { get; }

        /// <summary>What the user named.</summary>
        public object? Target { get; }

        /// <summary>True for errors that leave nothing to try on other items (no engine, bad host).</summary>
        public bool IsConnectionError => Category == ErrorCategory.ConnectionError;

        /// <summary>True when the engine itself cannot be used (refused, too old, unsupported): no item will fare better.</summary>
        public bool IsHostFailure { get; internal set; }

        /// <summary>Builds the ErrorRecord for this error.</summary>
        public ErrorRecord ToErrorRecord() => new ErrorRecord(this, ErrorId, Category, Target);
    }
}
