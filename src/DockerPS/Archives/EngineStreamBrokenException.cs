using System;
using System.IO;

namespace DockerPS.Archives
{
    /// <summary>
    /// The engine's side of a stream ended before the stream did: the connection broke, or the engine died. Kept apart
    /// from IOException's other cases so that it is never taken for a failed write of ours.
    /// </summary>
    internal sealed class EngineStreamBrokenException : IOException
    {
        public EngineStreamBrokenException(long bytesRead, Exception inner)
            : this(bytesRead, inner, null)
        {
        }

        private EngineStreamBrokenException(long bytesRead, Exception inner, string? removedFile)
            : base($"The engine's stream broke after {bytesRead} bytes: {inner.Message}", inner)
        {
            BytesRead = bytesRead;
            RemovedFile = removedFile;
        }

        /// <summary>How many bytes came before the break.</summary>
        public long BytesRead { get; }

        /// <summary>The file the stream was written to, removed because it was partial; null when there was none.</summary>
        public string? RemovedFile { get; }

        /// <summary>The same break, told with the partial file that was removed.</summary>
        public EngineStreamBrokenException WithRemovedFile(string path) => new EngineStreamBrokenException(BytesRead, InnerException!, path);
    }
}
