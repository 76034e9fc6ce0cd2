"""The seed's approach, reproduced for the benchmark: pandas reads the whole CSV,
pymongo inserts every row with insert_many into an empty collection. No validation, no
versioning, no accounting. Prints {"rows": N, "seconds": S} as JSON."""
import json
import sys
import time

import pandas as pd
from pymongo import MongoClient


def main() -> None:
    path, mongo_url, db_name = sys.argv[1], sys.argv[2], sys.argv[3]
    client = MongoClient(mongo_url)
    collection = client[db_name]["patients"]
    start = time.perf_counter()
    df = pd.read_csv(path)
    # The one change to the seed: empty cells become None instead of NaN. FerretDB drops the
    # connection on a NaN value (MongoDB would store it); None is what the seed meant anyway.
    df = df.astype(object).where(pd.notna(df), None)
    collection.insert_many(df.to_dict("records"))
    seconds = time.perf_counter() - start
    print(json.dumps({"rows": len(df), "seconds": seconds}))


if __name__ == "__main__":
    main()
