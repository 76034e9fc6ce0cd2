"""The seed's approach, reproduced for the benchmark: pandas reads the whole CSV, pymongo
inserts every row with insert_many into an empty collection, then the same query indexes as
the project's load ends with are built (after the insert: the fastest way for a bulk load).
No validation, no versioning, no accounting. Prints {"rows": N, "seconds": S} as JSON."""
import json
import sys
import time

import pandas as pd
from pymongo import MongoClient


def main() -> None:
    path, mongo_url, db_name, indexes = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
    client = MongoClient(mongo_url)
    collection = client[db_name]["patients"]
    start = time.perf_counter()
    df = pd.read_csv(path)
    collection.insert_many(df.to_dict("records"))
    for index in indexes:
        collection.create_index(list(index["key"].items()), name=index["name"])
    seconds = time.perf_counter() - start
    print(json.dumps({"rows": len(df), "seconds": seconds}))


if __name__ == "__main__":
    main()
