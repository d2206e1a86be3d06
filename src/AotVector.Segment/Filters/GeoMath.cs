using AotVector.Common.Filtering;
using AotVector.Common.Model;

namespace AotVector.Segment.Filters;

/// <summary>Geo predicates over payload points <c>{"lon": x, "lat": y}</c>.</summary>
public static class GeoMath
{
    // Mean Earth radius in meters (IUGG), the radius Qdrant's haversine uses.
    private const double EarthRadiusMeters = 6371008.8;

    public static bool TryGetPoint(PayloadValue value, out GeoPoint point)
    {
        point = default;
        if (value.Kind != PayloadKind.Object)
        {
            return false;
        }

        var obj = value.AsObject;
        if (obj["lon"] is { } lon && obj["lat"] is { } lat && lon.TryGetNumber(out var x) && lat.TryGetNumber(out var y))
        {
            point = new GeoPoint(x, y);
            return true;
        }

        return false;
    }

    public static double HaversineMeters(GeoPoint a, GeoPoint b)
    {
        var lat1 = DegreesToRadians(a.Lat);
        var lat2 = DegreesToRadians(b.Lat);
        var dLat = lat2 - lat1;
        var dLon = DegreesToRadians(b.Lon - a.Lon);
        var h = (Math.Sin(dLat / 2) * Math.Sin(dLat / 2)) + (Math.Cos(lat1) * Math.Cos(lat2) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2));
        return 2 * EarthRadiusMeters * Math.Asin(Math.Min(1.0, Math.Sqrt(h)));
    }

    public static bool InRadius(GeoRadius radius, GeoPoint point) => HaversineMeters(radius.Center, point) < radius.Radius;

    /// <summary>
    /// A cheap necessary condition for <see cref="InRadius"/>: a great circle is never shorter than the arc of its
    /// latitude difference, so a point whose latitude alone is farther than the radius is outside (no trigonometry).
    /// </summary>
    public static bool WithinLatitudeBand(GeoRadius radius, GeoPoint point) =>
        !(Math.Abs(DegreesToRadians(point.Lat - radius.Center.Lat)) * EarthRadiusMeters > (radius.Radius * (1 + 1e-9)) + 1e-6);

    public static bool InBoundingBox(GeoBoundingBox box, GeoPoint point)
    {
        // A box whose left edge is east of its right edge crosses the antimeridian.
        var lonOk = box.TopLeft.Lon > box.BottomRight.Lon
            ? point.Lon > box.TopLeft.Lon || point.Lon < box.BottomRight.Lon
            : box.TopLeft.Lon < point.Lon && point.Lon < box.BottomRight.Lon;
        return lonOk && box.BottomRight.Lat < point.Lat && point.Lat < box.TopLeft.Lat;
    }

    public static bool InPolygon(GeoPolygon polygon, GeoPoint point)
    {
        if (!InRing(polygon.Exterior, point))
        {
            return false;
        }

        if (polygon.Interiors is { } holes)
        {
            foreach (var hole in holes)
            {
                if (InRing(hole, point))
                {
                    return false;
                }
            }
        }

        return true;
    }

    // Even-odd ray casting along +lon; the ring may or may not repeat its first point at the end.
    private static bool InRing(IReadOnlyList<GeoPoint> ring, GeoPoint p)
    {
        var inside = false;
        for (int i = 0, j = ring.Count - 1; i < ring.Count; j = i++)
        {
            var a = ring[i];
            var b = ring[j];
            if ((a.Lat > p.Lat) != (b.Lat > p.Lat)
                && p.Lon < ((b.Lon - a.Lon) * (p.Lat - a.Lat) / (b.Lat - a.Lat)) + a.Lon)
            {
                inside = !inside;
            }
        }

        return inside;
    }

    private static double DegreesToRadians(double degrees) => degrees * (Math.PI / 180.0);
}
