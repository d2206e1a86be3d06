using AotVector.Common.Filtering;

namespace AotVector.Segment.Index.Payloads.Geo;

/// <summary>A lon/lat rectangle (inclusive, not crossing the antimeridian) that bounds where a geo condition can match.</summary>
internal readonly record struct GeoRect(double LonLow, double LonHigh, double LatLow, double LatHigh)
{
    // Mean Earth radius in meters, as GeoMath's haversine uses.
    private const double EarthRadiusMeters = 6371008.8;

    // Widening, in degrees, that absorbs rounding in the bounds below; the exact check trims what it lets in.
    private const double Slack = 1e-7;

    public bool IsEmpty => !(LonLow <= LonHigh && LatLow <= LatHigh);

    public static GeoRect World { get; } = new(-180, 180, -90, 90);

    /// <summary>
    /// Rectangles whose union holds every point the condition's geo parts can match (those parts are ANDed, so any
    /// one of them bounds it); false when the condition has no geo part.
    /// </summary>
    public static bool TryBound(FieldCondition condition, List<GeoRect> into)
    {
        if (condition.GeoRadius is { } radius)
        {
            Radius(radius, into);
            return true;
        }

        if (condition.GeoBoundingBox is { } box)
        {
            Box(box, into);
            return true;
        }

        if (condition.GeoPolygon is { } polygon)
        {
            Polygon(polygon, into);
            return true;
        }

        return false;
    }

    // The spherical cap's latitude band; its longitude span is asin(sin d / cos lat) either side, unless the cap
    // reaches a pole, which then puts every longitude inside it.
    private static void Radius(GeoRadius radius, List<GeoRect> into)
    {
        var center = radius.Center;
        var angle = Math.Max(0, radius.Radius) / EarthRadiusMeters;
        var degrees = (angle * 180.0 / Math.PI) + Slack;
        var latLow = center.Lat - degrees;
        var latHigh = center.Lat + degrees;
        if (latHigh >= 90 || latLow <= -90 || angle >= Math.PI / 2 || center.Lon < -180 || center.Lon > 180)
        {
            into.Add(World with { LatLow = Math.Max(-90, latLow), LatHigh = Math.Min(90, latHigh) });
            return;
        }

        var ratio = Math.Sin(angle) / Math.Cos(center.Lat * Math.PI / 180.0);
        if (!(ratio < 1 - 1e-12))
        {
            into.Add(World with { LatLow = latLow, LatHigh = latHigh });
            return;
        }

        var span = (Math.Asin(ratio) * 180.0 / Math.PI) + Slack;
        AddWrapped(center.Lon - span, center.Lon + span, latLow, latHigh, into);
    }

    // Left east of right means the box crosses the antimeridian (GeoMath.InBoundingBox reads it so).
    private static void Box(GeoBoundingBox box, List<GeoRect> into)
    {
        double latLow = box.BottomRight.Lat, latHigh = box.TopLeft.Lat;
        if (box.TopLeft.Lon > box.BottomRight.Lon)
        {
            into.Add(new GeoRect(box.TopLeft.Lon, Math.Max(180, box.TopLeft.Lon), latLow, latHigh));
            into.Add(new GeoRect(Math.Min(-180, box.BottomRight.Lon), box.BottomRight.Lon, latLow, latHigh));
        }
        else
        {
            into.Add(new GeoRect(box.TopLeft.Lon, box.BottomRight.Lon, latLow, latHigh));
        }
    }

    // The planar even-odd test inside GeoMath.InPolygon only holds points within the exterior ring's vertex extent.
    private static void Polygon(GeoPolygon polygon, List<GeoRect> into)
    {
        if (polygon.Exterior.Count == 0)
        {
            return;
        }

        double lonLow = double.PositiveInfinity, lonHigh = double.NegativeInfinity, latLow = double.PositiveInfinity, latHigh = double.NegativeInfinity;
        foreach (var p in polygon.Exterior)
        {
            lonLow = Math.Min(lonLow, p.Lon);
            lonHigh = Math.Max(lonHigh, p.Lon);
            latLow = Math.Min(latLow, p.Lat);
            latHigh = Math.Max(latHigh, p.Lat);
        }

        into.Add(new GeoRect(lonLow, lonHigh, latLow, latHigh));
    }

    private static void AddWrapped(double lonLow, double lonHigh, double latLow, double latHigh, List<GeoRect> into)
    {
        if (lonHigh - lonLow >= 360)
        {
            into.Add(World with { LatLow = latLow, LatHigh = latHigh });
        }
        else if (lonLow < -180)
        {
            into.Add(new GeoRect(-180, lonHigh, latLow, latHigh));
            into.Add(new GeoRect(lonLow + 360, 180, latLow, latHigh));
        }
        else if (lonHigh > 180)
        {
            into.Add(new GeoRect(lonLow, 180, latLow, latHigh));
            into.Add(new GeoRect(-180, lonHigh - 360, latLow, latHigh));
        }
        else
        {
            into.Add(new GeoRect(lonLow, lonHigh, latLow, latHigh));
        }
    }
}
