#!/usr/bin/env python3
"""Item factors from shared co-listening data, trained by Apache Spark MLlib's implicit ALS.

For shared data larger than one machine holds: the same input formats Sonare imports are read by
Spark (so they may live on HDFS/S3 and be split across executors), ALS with implicitPrefs=True is
trained on the cluster, and the item factors are written as a Sonare factor file (JSON lines: a
header with the model's metadata, then one item per line) that the app imports with
`sonare import shared FILE --format factors`; the listener is then folded in on the desktop against
these fixed factors.

Locally (Spark's local mode, as the tests run it):
    python jobs/spark_als.py --format hetrec --input hetrec/ --out factors.jsonl --master 'local[2]'
On a cluster (unchanged code; the master and resources come from spark-submit):
    spark-submit --master yarn --deploy-mode client --num-executors 50 --executor-memory 8g \\
        jobs/spark_als.py --format lastfm-log --input hdfs:///data/lastfm-1k/*.tsv \\
        --out factors.jsonl --rank 128 --iterations 15

Formats: hetrec (a folder with user_artists.dat + artists.dat; artist-level factors), lastfm-log
(user, timestamp, artist MBID, artist, track MBID, track; song-level), mpd (Million Playlist Dataset
slices, one JSON file each; song-level; each playlist is one "user").
"""
import argparse
import json
import math
import os
import sys
import time

from pyspark.sql import SparkSession, functions as F, types as T
from pyspark.ml.recommendation import ALS

FORMAT_VERSION = 1


def read_hetrec(spark, path):
    counts = spark.read.csv(os.path.join(path, "user_artists.dat"), sep="\t", header=True,
                            schema="userID string, artistID string, weight double")
    artists = spark.read.csv(os.path.join(path, "artists.dat"), sep="\t", header=True,
                             schema="id string, name string, url string, pictureURL string")
    joined = counts.join(artists, counts.artistID == artists.id)
    return joined.select(F.col("userID").alias("user"), F.col("name").alias("artist"),
                         F.lit(None).cast("string").alias("title"), F.col("weight"))


def read_lastfm_log(spark, path):
    schema = "user string, ts string, artist_mbid string, artist string, track_mbid string, title string"
    logs = spark.read.csv(path, sep="\t", header=False, schema=schema, mode="DROPMALFORMED")
    logs = logs.where(F.col("artist").isNotNull() & F.col("title").isNotNull())
    return logs.groupBy("user", "artist", "title").agg(F.count(F.lit(1)).cast("double").alias("weight"))


def read_mpd(spark, path):
    slices = spark.read.json(path, multiLine=True)
    playlists = slices.select(F.explode("playlists").alias("p"))
    tracks = playlists.select(F.col("p.pid").cast("string").alias("user"),
                              F.explode("p.tracks").alias("t"))
    tracks = tracks.select("user", F.col("t.artist_name").alias("artist"),
                           F.col("t.track_name").alias("title"))
    tracks = tracks.where(F.col("artist").isNotNull() & F.col("title").isNotNull())
    return tracks.groupBy("user", "artist", "title").agg(F.lit(1.0).alias("weight"))


def with_index(df, column):
    """`df` with consecutive ids 0..n-1 in `column` (ALS needs int ids; zipWithIndex stays
    distributed, unlike a window over the whole table)."""
    schema = T.StructType(df.schema.fields + [T.StructField(column, T.LongType(), False)])
    rows = df.rdd.zipWithIndex().map(lambda r: (*r[0], r[1]))
    return df.sparkSession.createDataFrame(rows, schema)


READERS = {"hetrec": read_hetrec, "lastfm-log": read_lastfm_log, "mpd": read_mpd}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--format", required=True, choices=sorted(READERS))
    ap.add_argument("--input", required=True)
    ap.add_argument("--out", required=True, help="factor file to write (on the driver)")
    ap.add_argument("--rank", type=int, default=64)
    ap.add_argument("--iterations", type=int, default=15)
    ap.add_argument("--regularization", type=float, default=0.1)
    ap.add_argument("--alpha", type=float, default=1.0,
                    help="confidence = 1 + alpha * log(1 + plays)")
    ap.add_argument("--model", default="spark-als", help="model name recorded in the factor file")
    ap.add_argument("--master", help="Spark master (default: from spark-submit, else local[*])")
    ap.add_argument("--seed", type=int, default=42)
    a = ap.parse_args()

    builder = SparkSession.builder.appName("sonare-als")
    if a.master:
        builder = builder.master(a.master)
    elif "SPARK_HOME" not in os.environ and not os.environ.get("PYSPARK_SUBMIT_ARGS"):
        builder = builder.master("local[*]")
    spark = builder.config("spark.ui.enabled", "false").getOrCreate()
    spark.sparkContext.setLogLevel("WARN")
    started = time.time()

    data = READERS[a.format](spark, a.input).where(F.col("weight") > 0)
    data = data.withColumn("key", F.concat_ws("\u001f", "artist", F.coalesce("title", F.lit(""))))
    # Dense integer ids for ALS; the names travel with the items to the factor file.
    items = with_index(data.groupBy("key").agg(F.first("artist").alias("artist"),
                                                F.first("title").alias("title")), "item")
    users = with_index(data.select("user").distinct(), "uid")
    ratings = data.select("user", "key", "weight").join(items.select("key", "item"), "key")
    ratings = ratings.join(users, "user").select(
        F.col("uid").cast("int").alias("uid"), F.col("item").cast("int").alias("item"),
        F.log1p("weight").cast("float").alias("rating"))
    ratings = ratings.cache()
    n = ratings.count()
    if n == 0:
        sys.exit(f"spark_als: no interactions read from {a.input} as {a.format}")

    als = ALS(rank=a.rank, maxIter=a.iterations, regParam=a.regularization, alpha=a.alpha,
              implicitPrefs=True, userCol="uid", itemCol="item", ratingCol="rating",
              coldStartStrategy="drop", seed=a.seed, nonnegative=False)
    model = als.fit(ratings)
    factors = model.itemFactors.join(items, model.itemFactors.id == items.item)

    header = {"format": "sonare-factors", "version": FORMAT_VERSION, "model": a.model,
              "rank": a.rank, "regularization": a.regularization,
              # Spark's confidence is 1 + alpha * rating with rating = log1p(plays).
              "alpha": a.alpha, "confidence": "1 + alpha * log1p(plays)",
              "iterations": a.iterations, "interactions": n, "source_format": a.format,
              "trained_by": f"Apache Spark {spark.version} MLlib ALS (implicitPrefs)",
              "trained_at": int(time.time())}
    written = 0
    tmp = a.out + ".part"
    with open(tmp, "w", encoding="utf-8") as out:
        out.write(json.dumps(header, ensure_ascii=False) + "\n")
        # Streamed from the executors one partition at a time: the driver never holds them all.
        for row in factors.select("artist", "title", "features").toLocalIterator():
            vec = [float(x) for x in row["features"]]
            if not all(math.isfinite(x) for x in vec):
                continue
            item = {"artist": row["artist"], "factors": [round(x, 6) for x in vec]}
            if row["title"] is not None:
                item["title"] = row["title"]
            out.write(json.dumps(item, ensure_ascii=False) + "\n")
            written += 1
    os.replace(tmp, a.out)
    print(json.dumps({"items": written, "interactions": n, "rank": a.rank,
                      "seconds": round(time.time() - started, 1), "out": a.out}))
    spark.stop()


if __name__ == "__main__":
    main()
