using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace DockerPS.Archives
{
    /// <summary>A read-only pass-through that reports how many bytes have been read.</summary>
    internal sealed class ProgressStream : Stream
    {
        private readonly Stream inner;
        private readonly Action<long> report;
        private long position;

        public ProgressStream(Stream inner, Action<long> report)
        {
            this.inner = inner;
            this.report = report;
        }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => inner.Length;

        public override long Position
        {
            get => position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Count(await inner.ReadAsync(buffer, offset, count, cancellationToken).ConfigureAwait(false));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        private int Count(int read)
        {
            position += read;
            report(position);
            return read;
        }
    }
}
