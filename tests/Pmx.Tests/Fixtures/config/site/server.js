// a stand-in for an app; config tests only need the file to exist
