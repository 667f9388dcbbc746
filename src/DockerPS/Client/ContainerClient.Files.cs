using System;
using System.IO;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace DockerPS.Client
{
    /// <summary>Files in containers: describing a path, archives in and out (docker cp), the whole file system (docker export).</summary>
    internal static partial class ContainerClient
    {
        /// <summary>What is at the path in the container (links not followed), or null when nothing is there.</summary>
        public static async Task<DockerContainerPathInfo?> StatPathAsync(EngineConnection c, DockerContainer container, string path, CancellationToken ct)
        {
            try
            {
                var response = await c.Api.Containers.GetArchiveFromContainerAsync(container.Id, new ContainerPathStatParameters { Path = path }, true, ct).ConfigureAwait(false);
                return DockerContainerPathInfo.From(container, path, response.Stat);
            }
            catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }
        }

        /// <summary>
        /// Streams the engine's tar of the path (a file, a link, or a folder with all it holds, named by the path's
        /// last element) to <paramref name="read"/>. Ctrl+C closes the stream.
        /// </summary>
        public static async Task ReadArchiveAsync(EngineConnection c, DockerContainer container, string path, Func<Stream, Task> read, CancellationToken ct)
        {
            var response = await c.Unbounded.Containers.GetArchiveFromContainerAsync(container.Id, new ContainerPathStatParameters { Path = path }, false, ct).ConfigureAwait(false);
            using Stream source = response.Stream ?? throw new InvalidDataException($"The engine sent no archive for '{path}'.");
            using (ct.Register(source.Dispose))
            {
                try
                {
                    await read(source).ConfigureAwait(false);
                }
                catch (Exception) when (ct.IsCancellationRequested)
                {
                    throw new OperationCanceledException(ct);
                }
            }
        }

        /// <summary>Has the engine extract a tar into a folder of the container. Ctrl+C closes the upload.</summary>
        public static async Task WriteArchiveAsync(EngineConnection c, DockerContainer container, string folder, Stream tar, CancellationToken ct)
        {
            // The library's AllowOverwriteDirWithFile is sent as noOverwriteDirNonDir: true means "refuse to replace
            // a folder with a file or a file with a folder", which is what the docker CLI asks for too.
            var parameters = new CopyToContainerParameters { Path = folder, AllowOverwriteDirWithFile = true };
            using (ct.Register(tar.Dispose))
            {
                try
                {
                    await c.Unbounded.Containers.ExtractArchiveToContainerAsync(container.Id, parameters, tar, ct).ConfigureAwait(false);
                }
                catch (Exception) when (ct.IsCancellationRequested)
                {
                    throw new OperationCanceledException(ct);
                }
                catch (DockerApiException ex) when (EngineAnswer.Says(ex, "cannot overwrite"))
                {
                    throw new CopyException(CopyFault.Conflict, folder, container.ToString(), ex, EngineAnswer.Message(ex));
                }
            }
        }

        /// <summary>The container's file system size in bytes (its image's and its own), for export progress.</summary>
        public static async Task<long> FileSystemSizeAsync(EngineConnection c, string idOrName, CancellationToken ct)
        {
            var inspected = await c.Api.Containers.InspectContainerAsync(idOrName, new ContainerInspectParameters { IncludeSize = true }, ct).ConfigureAwait(false);
            return inspected.SizeRootFs ?? 0;
        }

        /// <summary>Streams the tar of the container's whole file system into <paramref name="destination"/>, reporting bytes copied.</summary>
        public static async Task ExportAsync(EngineConnection c, string id, Stream destination, Action<long> bytesCopied, CancellationToken ct)
        {
            using Stream source = await c.Unbounded.Containers.ExportContainerAsync(id, ct).ConfigureAwait(false);
            await StreamCopy.CopyAsync(source, destination, bytesCopied, ct).ConfigureAwait(false);
        }
    }
}
