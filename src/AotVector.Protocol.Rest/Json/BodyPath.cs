namespace AotVector.Protocol.Rest.Json;

/// <summary>Builds the location named in error messages ("points[3].vector"); "" is the body root.</summary>
internal static class BodyPath
{
    public static string Field(string path, string name) => path.Length == 0 ? name : path + "." + name;

    public static string Index(string path, int index) => path + "[" + index.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]";
}
