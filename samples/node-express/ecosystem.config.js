// The seed's PM2 config with its typos fixed (module.exports =, instances): pmx and PM2 both read it.
//   pmx start ecosystem.config.js     (or: pmx up -c ecosystem.config.js)
module.exports = {
  apps: [
    {
      name: 'app',
      script: './app.js',
      instances: 4,
      exec_mode: 'cluster',
      wait_ready: true,
      listen_timeout: 50000,
      kill_timeout: 5000,
    },
  ],
};
