using System.Text.Json;
using AotVector.Common.Filtering;
using AotVector.Protocol.Rest.Errors;

namespace AotVector.Protocol.Rest.Json;

/// <summary>Geo filter parts: points are {"lon","lat"} in degrees; polygons are closed rings of at least 4 points.</summary>
internal static class GeoReader
{
    public static GeoBoundingBox ReadBoundingBox(JsonElement e, string path)
    {
        JsonRead.Object(e, path);
        GeoPoint? topLeft = null, bottomRight = null;
        foreach (var p in e.EnumerateObject())
        {
            var at = BodyPath.Field(path, p.Name);
            switch (p.Name)
            {
                case "top_left":
                    topLeft = ReadPoint(p.Value, at);
                    break;
                case "bottom_right":
                    bottomRight = ReadPoint(p.Value, at);
                    break;
                default:
                    JsonRead.UnknownField(path, p.Name, "`top_left` or `bottom_right`");
                    break;
            }
        }

        if (topLeft is null)
        {
            JsonRead.Missing(path, "top_left");
        }

        if (bottomRight is null)
        {
            JsonRead.Missing(path, "bottom_right");
        }

        return new GeoBoundingBox(topLeft.Value, bottomRight.Value);
    }

    public static GeoRadius ReadRadius(JsonElement e, string path)
    {
        JsonRead.Object(e, path);
        GeoPoint? center = null;
        double? radius = null;
        foreach (var p in e.EnumerateObject())
        {
            var at = BodyPath.Field(path, p.Name);
            switch (p.Name)
            {
                case "center":
                    center = ReadPoint(p.Value, at);
                    break;
                case "radius":
                    radius = JsonRead.Double(p.Value, at);
                    break;
                default:
                    JsonRead.UnknownField(path, p.Name, "`center` or `radius`");
                    break;
            }
        }

        if (center is null)
        {
            JsonRead.Missing(path, "center");
        }

        if (radius is null)
        {
            JsonRead.Missing(path, "radius");
        }

        return new GeoRadius(center.Value, radius.Value);
    }

    public static GeoPolygon ReadPolygon(JsonElement e, string path)
    {
        JsonRead.Object(e, path);
        List<GeoPoint>? exterior = null;
        List<IReadOnlyList<GeoPoint>>? interiors = null;
        foreach (var p in e.EnumerateObject())
        {
            var at = BodyPath.Field(path, p.Name);
            switch (p.Name)
            {
                case "exterior":
                    exterior = ReadRing(p.Value, at);
                    break;
                case "interiors":
                    if (!JsonRead.IsAbsent(p.Value))
                    {
                        JsonRead.Array(p.Value, at);
                        interiors = [];
                        var i = 0;
                        foreach (var ring in p.Value.EnumerateArray())
                        {
                            interiors.Add(ReadRing(ring, BodyPath.Index(at, i++)));
                        }
                    }

                    break;
                default:
                    JsonRead.UnknownField(path, p.Name, "`exterior` or `interiors`");
                    break;
            }
        }

        if (exterior is null)
        {
            JsonRead.Missing(path, "exterior");
        }

        return new GeoPolygon(exterior, interiors);
    }

    private static List<GeoPoint> ReadRing(JsonElement e, string path)
    {
        JsonRead.Object(e, path, "a line string {\"points\":[...]}");
        if (!e.TryGetProperty("points", out var points))
        {
            JsonRead.Missing(path, "points");
        }

        var at = BodyPath.Field(path, "points");
        JsonRead.Array(points, at);
        var ring = new List<GeoPoint>(points.GetArrayLength());
        var i = 0;
        foreach (var point in points.EnumerateArray())
        {
            ring.Add(ReadPoint(point, BodyPath.Index(at, i++)));
        }

        if (ring.Count < 4)
        {
            ThrowHelper.ThrowValidation(path, "polygon invalid, the size must be at least 4");
        }

        if (ring[0] != ring[^1])
        {
            ThrowHelper.ThrowValidation(path, "polygon invalid, the first and the last points should be same to form a closed line");
        }

        return ring;
    }

    public static GeoPoint ReadPoint(JsonElement e, string path)
    {
        JsonRead.Object(e, path, "a geo point {\"lon\",\"lat\"}");
        double? lon = null, lat = null;
        foreach (var p in e.EnumerateObject())
        {
            var at = BodyPath.Field(path, p.Name);
            switch (p.Name)
            {
                case "lon":
                    lon = JsonRead.Double(p.Value, at);
                    break;
                case "lat":
                    lat = JsonRead.Double(p.Value, at);
                    break;
                default:
                    JsonRead.UnknownField(path, p.Name, "`lon` or `lat`");
                    break;
            }
        }

        if (lon is null)
        {
            JsonRead.Missing(path, "lon");
        }

        if (lat is null)
        {
            JsonRead.Missing(path, "lat");
        }

        if (lon.Value is < -180 or > 180 || lat.Value is < -90 or > 90)
        {
            ThrowHelper.ThrowFormat(path, "wrong geo point: `lon` must be within [-180; 180] and `lat` within [-90; 90]");
        }

        return new GeoPoint(lon.Value, lat.Value);
    }
}
