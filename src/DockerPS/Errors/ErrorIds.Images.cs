namespace DockerPS.Errors
{
    /// <summary>Error ids of image removal by reference and by id.</summary>
    public static partial class ErrorIds
    {
        /// <summary>Removal by id of an image that has several tags, without -Force.</summary>
        public const string ImageHasSeveralReferences = "ImageHasSeveralReferences";

        /// <summary>A piped image's reference now names another image.</summary>
        public const string ImageReferenceMoved = "ImageReferenceMoved";
    }
}
