package io.botsync.source.stepchat;

import io.botsync.source.Platform;
import io.botsync.source.PlatformHttp;
import io.botsync.source.SourceConfig;
import io.botsync.source.SourceReader;
import io.botsync.source.UserWriter;
import java.util.List;

/** StepChat (a Support-Board-style {@code api.php}): one form-POST endpoint, admin token in the form. */
public final class StepChatPlatform implements Platform {

    @Override
    public String name() {
        return "stepchat";
    }

    @Override
    public List<String> requiredKeys() {
        return List.of("url", "token");
    }

    @Override
    public SourceReader reader(SourceConfig config, PlatformHttp http) {
        return new StepChatReader(StepChatSettings.from(config), http);
    }

    /** StepChat's {@code csv-users} export: {@code import} reads its columns as user fields and details. */
    @Override
    public boolean importsCsv() {
        return true;
    }

    @Override
    public boolean writable() {
        return true;
    }

    @Override
    public UserWriter writer(SourceConfig config, PlatformHttp http) {
        return new StepChatWriter(config, http);
    }
}
